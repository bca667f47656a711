// Shared schema fragments for resource definitions.

export * from './builders.js';
export * from './condition.js';
export * from './container.js';
export * from './object-meta.js';
export * from './pod-spec.js';
export * from './pod-status.js';
export * from './references.js';
export * from './resources.js';
export * from './volume.js';
