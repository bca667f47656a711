// The Milo kinds Workplane serves: compute Workloads, Networks and Projects.

export * from './cidr.js';
export * from './label-selector-validation.js';
export * from './network.js';
export * from './project.js';
export * from './workload.js';
export * from './workload-schema.js';
export * from './workload-validation.js';
