export * from './databases.js';
export * from './requests.js';
export * from './tracing.js';
export * from './metrics.js';
export * from './logs.js';
