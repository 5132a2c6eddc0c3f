export { ensureWebBuild, sourceHash, webDistDir, type WebBuild } from './build.js';
export { startWebServer, type DemoIdentity, type RunningWebServer, type WebServerOptions } from './server.js';
