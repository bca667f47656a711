// The scheduling.k8s.io kinds Workplane serves.

export * from './workload.js';
export * from './workload-validation.js';
