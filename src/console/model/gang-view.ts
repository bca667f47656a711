// The scheduling.k8s.io Workload as the scheduler sees it: each pod group,
// its member pods (pods naming the Workload and group in spec.workloadRef),
// which of them are bound and why the others wait. A gang binds all at once
// or not at all, so its summary says which of those it is.

import type { KObject } from '../../api/object.js';
import { nodeNameOf, podPhase, specOf, waitingReason } from './pods.js';

export interface GangMember {
  name: string;
  pod: KObject;
  node?: string;
  phase: string;
  /** Set while unbound: the scheduler's reason and message. */
  waiting?: { reason: string; message: string };
}

export interface PodGroupView {
  name: string;
  policy: 'gang' | 'basic' | 'unknown';
  minCount?: number;
  members: GangMember[];
  bound: number;
  state: 'empty' | 'waiting' | 'partial' | 'bound';
  summary: string;
}

interface PodGroupSpec {
  name?: string;
  policy?: { basic?: unknown; gang?: { minCount?: number } };
}

function workloadRefOf(pod: KObject): { name?: string; podGroup?: string } {
  const r = specOf(pod).workloadRef;
  return typeof r === 'object' && r !== null ? (r as { name?: string; podGroup?: string }) : {};
}

export function podGroupViews(workload: KObject, pods: readonly KObject[], events: readonly KObject[]): PodGroupView[] {
  const groups = specOf(workload).podGroups;
  if (!Array.isArray(groups)) return [];
  const ns = workload.metadata.namespace;
  const wname = workload.metadata.name;
  return (groups as PodGroupSpec[]).map((g) => {
    const name = g.name ?? '';
    const gang = g.policy?.gang;
    const policy = gang ? 'gang' : g.policy?.basic ? 'basic' : 'unknown';
    const minCount = gang ? (gang.minCount ?? 1) : undefined;
    const members: GangMember[] = pods
      .filter((p) => p.metadata.namespace === ns && workloadRefOf(p).name === wname && workloadRefOf(p).podGroup === name && !p.metadata.deletionTimestamp)
      .map((p) => {
        const node = nodeNameOf(p);
        return { name: p.metadata.name ?? '', pod: p, node, phase: podPhase(p), ...(node ? {} : { waiting: waitingReason(p, events) }) };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    const bound = members.filter((m) => m.node).length;
    const state = members.length === 0 ? 'empty' : bound === members.length ? 'bound' : bound === 0 ? 'waiting' : 'partial';
    return { name, policy, minCount, members, bound, state, summary: summarize(policy, minCount, members.length, bound) };
  });
}

function summarize(policy: string, minCount: number | undefined, n: number, bound: number): string {
  if (n === 0) return policy === 'gang' ? `no member pods yet (gang needs ${minCount})` : 'no member pods yet';
  if (policy === 'gang' && minCount !== undefined && n < minCount) return `waiting for quorum: ${n} of ${minCount} pods exist, none binds before ${minCount}`;
  if (bound === n) return `all ${n} bound`;
  if (bound === 0) return policy === 'gang' ? `waiting: none of ${n} bound (all or nothing)` : `waiting: none of ${n} bound`;
  return `${bound} of ${n} bound`;
}
