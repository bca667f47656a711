// The controller that serves CustomResourceDefinitions.

export * from './crd-controller.js';
export * from './names.js';
