// Field validators shared by resource definitions and the generic server.

export * from './container.js';
export * from './field.js';
export * from './names.js';
export * from './object-meta.js';
export * from './pod-spec.js';
export * from './resources.js';
