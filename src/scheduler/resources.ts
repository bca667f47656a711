// Resource arithmetic for scheduling: a pod's effective requests (what it
// reserves on a node) and a node's allocatable amounts, in integers (cpu in
// millicores, memory in bytes) so sums never drift.

import { isPlainObject } from '../api/object.js';
import { parseMilli, parseQuantity } from '../api/quantity.js';

export interface Requests {
  /** Millicores. */
  cpu: number;
  /** Bytes. */
  memory: number;
}

/** kube's defaults for scoring pods that request nothing, so they still spread (100m, 200MB). */
export const DEFAULT_SCORE_CPU = 100;
export const DEFAULT_SCORE_MEMORY = 200 * 1024 * 1024;

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

// Parsing a quantity is regex + bigint work; the same few strings recur across
// thousands of pods and nodes, so results are memoised (bounded).
const milliMemo = new Map<string, number>();
const unitMemo = new Map<string, number>();
const MEMO_LIMIT = 10_000;

function cached(text: string, milli: boolean): number {
  const memo = milli ? milliMemo : unitMemo;
  let v = memo.get(text);
  if (v !== undefined) return v;
  try {
    v = milli ? parseMilli(text) : Math.ceil(parseQuantity(text));
  } catch {
    v = 0; // the API validated it; an unparsable value reserves nothing rather than crashing the loop
  }
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, v);
  return v;
}

/** A quantity (`500m`, `1Gi`, 2) in millis (cpu) or base units. */
export function quantity(v: unknown, milli: boolean): number {
  if (typeof v === 'number') return milli ? Math.ceil(v * 1000) : Math.ceil(v);
  if (typeof v === 'string' && v) return cached(v, milli);
  return 0;
}

function containerRequests(c: Obj): Requests {
  const res = isPlainObject(c.resources) ? c.resources : {};
  // Defaulting copies limits into missing requests; do the same for objects that skipped it.
  const req = isPlainObject(res.requests) ? res.requests : {};
  const lim = isPlainObject(res.limits) ? res.limits : {};
  return {
    cpu: quantity(req.cpu ?? lim.cpu, true),
    memory: quantity(req.memory ?? lim.memory, false),
  };
}

/**
 * kube's effective pod request: app containers plus restartable (sidecar) init
 * containers run together; ordinary init containers run one at a time before
 * them, so only the largest counts, against the running sum at its turn.
 * Pod-level `resources.requests` replace the container sum; `overhead` adds.
 */
export function podRequests(spec: Obj): Requests {
  let cpu = 0;
  let memory = 0;
  for (const c of arr(spec.containers)) {
    const r = containerRequests(c);
    cpu += r.cpu;
    memory += r.memory;
  }
  let sideCpu = 0;
  let sideMem = 0;
  let initCpu = 0;
  let initMem = 0;
  for (const c of arr(spec.initContainers)) {
    const r = containerRequests(c);
    if (c.restartPolicy === 'Always') {
      sideCpu += r.cpu;
      sideMem += r.memory;
      continue;
    }
    initCpu = Math.max(initCpu, sideCpu + r.cpu);
    initMem = Math.max(initMem, sideMem + r.memory);
  }
  cpu = Math.max(cpu + sideCpu, initCpu);
  memory = Math.max(memory + sideMem, initMem);
  const podLevel = isPlainObject(spec.resources) && isPlainObject(spec.resources.requests) ? spec.resources.requests : undefined;
  if (podLevel?.cpu !== undefined) cpu = quantity(podLevel.cpu, true);
  if (podLevel?.memory !== undefined) memory = quantity(podLevel.memory, false);
  if (isPlainObject(spec.overhead)) {
    cpu += quantity(spec.overhead.cpu, true);
    memory += quantity(spec.overhead.memory, false);
  }
  return { cpu, memory };
}
