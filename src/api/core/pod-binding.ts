// What POST pods/NAME/binding does to a pod: spec.nodeName set once and a fresh
// PodScheduled=True condition. Shared by the HTTP handler and in-process binders.

import { conflict } from '../errors.js';
import { nowIso, type KObject } from '../object.js';

type Obj = Record<string, unknown>;

/** The binding subresource's effect on a pod: spec.nodeName set once, PodScheduled=True. */
export function applyBinding(pod: KObject, nodeName: string, uid: string | undefined): KObject {
  const name = pod.metadata.name ?? '';
  if (uid && uid !== pod.metadata.uid) throw conflict('pods', name, 'Precondition failed: UID in precondition does not match');
  if (pod.metadata.deletionTimestamp) throw conflict('pods', name, 'pod is being deleted, cannot be assigned to a host');
  const spec = (pod.spec ??= {}) as Obj;
  if (spec.nodeName) throw conflict('pods', name, `pod ${name} is already assigned to node "${String(spec.nodeName)}"`);
  spec.nodeName = nodeName;
  const status = (pod.status ??= {}) as Obj;
  const conds = (status.conditions ??= []) as Obj[];
  const i = conds.findIndex((c) => c.type === 'PodScheduled');
  const prev = i >= 0 ? conds[i] : undefined;
  // A fresh condition: the reason and message of an earlier Unschedulable one no longer apply.
  const cond: Obj = {
    type: 'PodScheduled',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: prev?.status === 'True' ? prev.lastTransitionTime : nowIso(),
  };
  if (i < 0) conds.push(cond);
  else conds[i] = cond;
  return pod;
}

