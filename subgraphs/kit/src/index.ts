export * from './errors.js';
export * from './identity.js';
export * from './federation.js';
export * from './logger.js';
export * from './http.js';
export * from './connection.js';
export * from './database.js';
export * from './vocabulary.js';
