// Facts about a Deployment and its ReplicaSets, as kube's deployment util:
// the pod-template hash that names a ReplicaSet, template equality ignoring
// that hash, revision numbers, surge/unavailable fenceposts, and the new
// ReplicaSet built from the Deployment.

import { clone, deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { scaledValue } from '../../api/apps/pod-template-validation.js';
import { templateHash } from '../compute/template-hash.js';
import { controllerRef } from './pod-control.js';
import { DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, POD_TEMPLATE_HASH_LABEL, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION } from './resources.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
export const num = (v: unknown, d = 0) => (typeof v === 'number' ? v : d);

export const desiredReplicas = (o: KObject) => num(section(o, 'spec').replicas, 1);
export const specReplicas = (rs: KObject) => num(section(rs, 'spec').replicas, 0);
export const statusOf = (o: KObject, f: string) => num(section(o, 'status')[f], 0);

/** Annotations kube never copies from a Deployment to its ReplicaSets (nor back on rollback). */
export const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.daemonset.template.generation',
]);

export function podTemplateHash(d: KObject): string {
  const collisions = section(d, 'status').collisionCount;
  return templateHash(typeof collisions === 'number' ? { template: section(d, 'spec').template, collisions } : section(d, 'spec').template);
}

/** JSON without null-valued keys: Go clients send zero times as `null` (`creationTimestamp: null`), which compare equal to absent. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isPlainObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (x !== null && x !== undefined) out[k] = dropNulls(x);
  return out;
}

function withoutHash(template: unknown): Obj {
  const t = obj(dropNulls(template));
  const meta = obj(t.metadata);
  if (isPlainObject(meta.labels)) {
    const labels = { ...(meta.labels as Record<string, string>) };
    delete labels[POD_TEMPLATE_HASH_LABEL];
    meta.labels = labels;
    if (Object.keys(labels).length === 0) delete meta.labels;
  }
  if (Object.keys(meta).length === 0) delete t.metadata;
  else t.metadata = meta;
  return t;
}

/** kube's EqualIgnoreHash: the templates are equal once the pod-template-hash label is left out. */
export const equalIgnoreHash = (a: unknown, b: unknown) => deepEqual(withoutHash(a), withoutHash(b));

export function revisionOf(rs: KObject): number {
  const v = Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? '0');
  return Number.isInteger(v) && v > 0 ? v : 0;
}

export const maxRevision = (sets: readonly KObject[]) => sets.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

/** kube's ResolveFenceposts: surge rounds up, unavailable down; both 0 means 1 unavailable. */
export function fenceposts(d: KObject): { surge: number; unavailable: number } {
  const strategy = obj(section(d, 'spec').strategy);
  if (strategy.type !== 'RollingUpdate') return { surge: 0, unavailable: 0 };
  const ru = obj(strategy.rollingUpdate);
  const replicas = desiredReplicas(d);
  const surge = scaledValue(ru.maxSurge ?? '25%', replicas, true);
  let unavailable = scaledValue(ru.maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

/** Annotations a Deployment passes on to its ReplicaSets (change-cause and the like). */
export function copiedAnnotations(d: KObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) out[k] = v;
  return out;
}

/** The ReplicaSet for the Deployment's current template, named `<deployment>-<hash>`. */
export function newReplicaSet(d: KObject, hash: string, replicas: number, revision: number): KObject {
  const spec = section(d, 'spec');
  const template = clone(obj(spec.template));
  const tmeta = obj(template.metadata);
  tmeta.labels = { ...(obj(tmeta.labels) as Record<string, string>), [POD_TEMPLATE_HASH_LABEL]: hash };
  template.metadata = tmeta;
  const selector = clone(obj(spec.selector));
  selector.matchLabels = { ...(obj(selector.matchLabels) as Record<string, string>), [POD_TEMPLATE_HASH_LABEL]: hash };
  const { surge } = fenceposts(d);
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...(tmeta.labels as Record<string, string>) },
      annotations: {
        ...copiedAnnotations(d),
        [REVISION_ANNOTATION]: String(revision),
        [DESIRED_REPLICAS_ANNOTATION]: String(desiredReplicas(d)),
        [MAX_REPLICAS_ANNOTATION]: String(desiredReplicas(d) + surge),
      },
      ownerReferences: [controllerRef(d)],
    },
    spec: { replicas, minReadySeconds: num(spec.minReadySeconds), selector, template },
  };
}

/** The annotations the ReplicaSet should carry now: the Deployment's, its revision, and the replica counts. */
export function wantedAnnotations(d: KObject, rs: KObject, revision: number): Record<string, string> {
  const cur = rs.metadata.annotations ?? {};
  const out: Record<string, string> = { ...cur, ...copiedAnnotations(d) };
  const old = revisionOf(rs);
  if (old > 0 && old < revision) {
    const history = cur[REVISION_HISTORY_ANNOTATION];
    out[REVISION_HISTORY_ANNOTATION] = history ? `${history},${old}` : String(old);
  }
  out[REVISION_ANNOTATION] = String(Math.max(old, revision));
  out[DESIRED_REPLICAS_ANNOTATION] = String(desiredReplicas(d));
  out[MAX_REPLICAS_ANNOTATION] = String(desiredReplicas(d) + fenceposts(d).surge);
  return out;
}
