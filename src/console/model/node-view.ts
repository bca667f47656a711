// Nodes as capacity planning reads them: capacity, allocatable, what the
// pods bound to the node request (summed as the scheduler sums them), its
// readiness, taints and its pods.

import type { KObject } from '../../api/object.js';
import { formatMilli, formatQuantity, parseMilli, parseQuantity } from '../../api/quantity.js';
import { conditionOf, isTerminated, nodeNameOf, specOf, statusOf } from './pods.js';

export interface NodeView {
  name: string;
  node: KObject;
  ready: string;
  unschedulable: boolean;
  taints: string[];
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  /** Requests of the node's running and pending pods, in kube's notation (`1500m`, `2Gi`). */
  requested: { cpu: string; memory: string; pods: string };
  pods: KObject[];
}

const strings = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
};

const safe = <T>(f: () => T, d: T): T => {
  try {
    return f();
  } catch {
    return d;
  }
};

/** Sum of the containers' requests of one resource (cpu in millicores, memory in bytes). */
function requests(pod: KObject, resource: 'cpu' | 'memory'): number {
  const cs = specOf(pod).containers;
  if (!Array.isArray(cs)) return 0;
  let sum = 0;
  for (const c of cs) {
    const q = strings((c as { resources?: { requests?: unknown } })?.resources?.requests)[resource];
    if (q) sum += safe(() => (resource === 'cpu' ? parseMilli(q) : parseQuantity(q)), 0);
  }
  return sum;
}

export function nodeView(node: KObject, allPods: readonly KObject[]): NodeView {
  const name = node.metadata.name ?? '';
  const pods = allPods.filter((p) => nodeNameOf(p) === name);
  const active = pods.filter((p) => !isTerminated(p));
  const cpu = active.reduce((s, p) => s + requests(p, 'cpu'), 0);
  const memory = active.reduce((s, p) => s + requests(p, 'memory'), 0);
  const taints = specOf(node).taints;
  return {
    name,
    node,
    ready: conditionOf(node, 'Ready')?.status ?? 'Unknown',
    unschedulable: specOf(node).unschedulable === true,
    taints: Array.isArray(taints) ? taints.map((t: { key?: string; value?: string; effect?: string }) => `${t.key ?? ''}${t.value ? `=${t.value}` : ''}:${t.effect ?? ''}`) : [],
    capacity: strings(statusOf(node).capacity),
    allocatable: strings(statusOf(node).allocatable),
    requested: { cpu: formatMilli(cpu), memory: safe(() => formatQuantity(memory, 'bytes'), String(memory)), pods: String(active.length) },
    pods: pods.sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')),
  };
}
