// Defaulting and status checks shared by Deployment, ReplicaSet, StatefulSet,
// DaemonSet and ReplicationController.

import type { FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { defaultPodSpec } from '../core/pod-defaults.js';
import { section } from '../core/columns.js';
import { isNonNegative } from '../validation/field.js';

type Obj = Record<string, unknown>;

export function defaultReplicas(spec: Obj): void {
  if (spec.replicas === undefined || spec.replicas === null) spec.replicas = 1;
}

/** kube's pod-spec defaults on spec.template.spec. */
export function defaultTemplate(spec: Obj): void {
  if (!isPlainObject(spec.template)) return;
  if (!isPlainObject(spec.template.spec)) spec.template.spec = {};
  defaultPodSpec(spec.template.spec);
}

/** Status is the controller's: a create starts from none. */
export function resetStatusOnCreate(o: KObject): void {
  delete o.status;
}

const COUNTS = ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'fullyLabeledReplicas', 'observedGeneration', 'currentReplicas'];

export function replicasStatusErrors(o: KObject): FieldError[] {
  const st = section(o, 'status');
  return COUNTS.flatMap((f) => isNonNegative(`status.${f}`, st[f]));
}
