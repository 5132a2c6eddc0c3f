export { createGateway, type GatewayOptions, type RunningGateway } from './gateway.js';
export { readConfig, type GatewayConfig } from './config.js';
export { mintDevToken, TokenVerifier, type TokenSubject, type MintOptions } from './security/tokens.js';
export { CommunityRouter, type CommunityRouterOptions } from './routing/community-router.js';
export { StaticDirectory, type CommunityDirectory, type DirectoryEntry, type Instance, type Unavailable } from './routing/directory.js';
export { ExchangeDirectory, type ExchangeDirectoryOptions } from './routing/exchange-directory.js';
export { createHttpClient, type HttpClient } from './routing/http-client.js';
export type { ExplorerPreset } from './explorer/explorer.js';
