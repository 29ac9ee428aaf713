// The public entry point: each layer exports its public names from its own `exports.ts`.
export * from './protocol/exports.js';
export * from './codec/exports.js';
export * from './match/exports.js';
export * from './dispatch/exports.js';
export * from './aws/exports.js';
export * from './large-payloads/exports.js';
export * from './consume/exports.js';
export * from './idempotency/exports.js';
export * from './publish/exports.js';
export * from './listener/exports.js';
export * from './filter/exports.js';
