// The seam between the generic in-process store (local-store.ts) and a concrete
// backend. An engine is synchronous and single-threaded: it owns the data and
// the change log, while queuing, watching and promises live in the shared
// layer above it (the same split kine makes between its log layer and SQL).

import type { KeyValue, StorageError, WatchEvent } from '../types.js';

export type WriteOp =
  | { kind: 'create'; key: string; value: string }
  | { kind: 'update'; key: string; value: string; expected: number }
  | { kind: 'delete'; key: string; expected?: number };

/** The change a successful op made (its `kv` is the op's result), or why it failed. */
export type WriteOutcome = WatchEvent | StorageError;

export interface EngineRange {
  items: KeyValue[];
  more: boolean;
}

export interface Engine {
  get(key: string): KeyValue | undefined;
  range(prefix: string, limit: number, startAfter: string | undefined): EngineRange;
  count(prefix: string): number;
  /** Latest committed revision. */
  revision(): number;
  /** Highest revision compacted so far (0 if never). */
  compacted(): number;
  /** Applies `ops` in order as one durable unit; each op succeeds or fails on its
   * own, successful ones taking consecutive revisions. Throws only when the whole
   * unit failed (nothing was applied). */
  apply(ops: WriteOp[]): WriteOutcome[];
  /** Logged changes under `prefix` with revision > `after`, oldest first. */
  history(prefix: string, after: number): WatchEvent[];
  compact(revision: number): void;
  close(): void;
}
