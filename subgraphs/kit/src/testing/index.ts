export * from './databases.js';
export * from './requests.js';
