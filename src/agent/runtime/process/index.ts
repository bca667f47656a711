// The process runtime: containers' commands as real processes.
export { createProcessRuntime, type ProcessRuntimeOptions } from './process-runtime.js';
