// apiextensions.k8s.io: CustomResourceDefinition, and what turns one into
// served definitions (schema preparation, CEL rules, printer columns).

export * from './crd.js';
export * from './crd-types.js';
export * from './crd-definitions.js';
export * from './crd-validation.js';
export * from './cel-rules.js';
export * from './printer-columns.js';
export * from './structural-schema.js';
export * from './list-types.js';
