// The process runtime: containers' commands as real processes.
export { createProcessRuntime, type ProcessRuntimeOptions } from './process-runtime.js';
export { assertReachable, DEFAULT_RUN_AS_USER, parseRunAsUser, resolveRunAs, type RunAs } from './run-as.js';
