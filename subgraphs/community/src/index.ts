export { createCommunitySubgraph, type CommunitySubgraph, type CommunitySubgraphOptions } from './server.js';
export { readConfig, type CommunityConfig } from './config.js';
export { buildCommunitySchema, entities } from './schema.js';
export { migrations } from './migrations/index.js';
export * as resourceService from './modules/resources/resource.service.js';
export { ResourceKind, SharedResource } from './modules/resources/resource.entity.js';
