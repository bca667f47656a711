// What the Job controller reads from its pods and how it builds them:
// completion indexes (Indexed jobs: `<job>-<index>-<suffix>`, the index as
// label, annotation, hostname and JOB_COMPLETION_INDEX), terminal states, and
// the compact `1,3-5` form of index sets kube writes in status.

import { isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { podFromTemplate } from '../apps/pod-control.js';
import { randomSuffix } from '../compute/template-hash.js';
import { COMPLETION_INDEX_ANNOTATION, COMPLETION_INDEX_LABEL, JOB_TRACKING_FINALIZER } from './resources.js';

type Obj = Record<string, unknown>;

const phase = (p: KObject) => section(p, 'status').phase;
export const hasTrackingFinalizer = (p: KObject) => (p.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
export const isSucceeded = (p: KObject) => phase(p) === 'Succeeded';
/** kube counts a pod failed once it is Failed, or deleted before it succeeded. */
export const isFailed = (p: KObject) => phase(p) === 'Failed' || (!!p.metadata.deletionTimestamp && phase(p) !== 'Succeeded');
export const isTerminated = (p: KObject) => isSucceeded(p) || isFailed(p);
export const isActivePod = (p: KObject) => !p.metadata.deletionTimestamp && !isSucceeded(p) && phase(p) !== 'Failed';

export function completionIndex(p: KObject): number | undefined {
  const v = p.metadata.annotations?.[COMPLETION_INDEX_ANNOTATION] ?? p.metadata.labels?.[COMPLETION_INDEX_LABEL];
  const n = Number(v);
  return v !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

export function jobPod(job: KObject, index: number | undefined): KObject {
  const template = section(job, 'spec').template;
  if (index === undefined) return podFromTemplate(job, template, { finalizers: [JOB_TRACKING_FINALIZER] });
  const name = job.metadata.name!;
  return podFromTemplate(job, template, {
    name: `${name}-${index}-${randomSuffix()}`,
    labels: { [COMPLETION_INDEX_LABEL]: String(index) },
    annotations: { [COMPLETION_INDEX_ANNOTATION]: String(index) },
    finalizers: [JOB_TRACKING_FINALIZER],
    spec: (spec: Obj) => {
      spec.hostname = `${name}-${index}`;
      const env = { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']` } } };
      for (const c of [...list(spec.initContainers), ...list(spec.containers)]) c.env = [...list(c.env).filter((e) => e.name !== 'JOB_COMPLETION_INDEX'), env];
    },
  });
}

const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

/** `1,3-5,7` from a set of indexes. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

export function parseIndexes(text: unknown): Set<number> {
  const out = new Set<number>();
  if (typeof text !== 'string' || !text) return out;
  for (const part of text.split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) continue;
    for (let i = a; i <= (Number.isInteger(b) ? b : a); i++) out.add(i);
  }
  return out;
}
