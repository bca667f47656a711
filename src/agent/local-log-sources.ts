// A process-wide registry of the log sources of nodes served in this process,
// so the API server answers `kubectl logs` for in-process nodes without HTTP.
// In-process agents register each node they serve and unregister on stop.

import type { LogSource } from './log-source.js';

const sources = new Map<string, LogSource>();

export function registerLocalLogSource(nodeName: string, source: LogSource): void {
  sources.set(nodeName, source);
}

/** Removes the node's source, only if it is still `source` (a newer agent may have taken the name). */
export function unregisterLocalLogSource(nodeName: string, source?: LogSource): void {
  if (!source || sources.get(nodeName) === source) sources.delete(nodeName);
}

export function localLogSource(nodeName: string): LogSource | undefined {
  return sources.get(nodeName);
}
