// The status a Workload should show for what its controller observed: counts,
// phase (per the spec's table) and the Available / Progressing /
// ReplicaFailure conditions. Pure, so every rule is testable without a server.

import { deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import { workloadSelectorString } from '../../api/compute/workload.js';
import type { WorkloadPhase } from '../../api/compute/workload-schema.js';
import { mergeConditions, readConditions, type Condition } from './conditions.js';
import { desiredReplicas } from './pod-template.js';
import { podFacts } from './pod-state.js';
import { podHash } from './rollout-plan.js';

export interface Observation {
  /** Every pod the workload controls (terminating ones included). */
  pods: readonly KObject[];
  hash: string;
  /** Set when spec.networkRef names a Network that does not exist. */
  missingNetwork?: string;
  /** The API's refusal of the last pod create (quota...), while pods are still missing. */
  createFailure?: string;
  /** No progress for longer than the progress deadline. */
  deadlineExceeded?: boolean;
  now: string;
}

export interface Summary {
  replicas: number;
  ready: number;
  updated: number;
  updatedReady: number;
  old: number;
  /** Ready on the current template and nothing left to replace. */
  complete: boolean;
  /** The first failing current pod, as `pod <name>: <reason>`. */
  failing?: string;
}

export function summarize(w: KObject, pods: readonly KObject[], hash: string): Summary {
  const want = desiredReplicas(w);
  let replicas = 0;
  let ready = 0;
  let updated = 0;
  let updatedReady = 0;
  let failing: string | undefined;
  let failingName = '';
  for (const p of pods) {
    const f = podFacts(p);
    if (!f.active) continue;
    replicas++;
    if (f.ready) ready++;
    if (podHash(p) !== hash) continue;
    updated++;
    if (f.ready) updatedReady++;
    // The first failing pod by name, so the message does not flap between pods.
    else if (failing === undefined || f.name < failingName) {
      const why = f.failure;
      if (why) {
        failing = `pod ${f.name}: ${why}`;
        failingName = f.name;
      }
    }
  }
  return {
    replicas,
    ready,
    updated,
    updatedReady,
    old: replicas - updated,
    complete: updatedReady >= want && replicas === updated && updated === want,
    failing,
  };
}

function phaseFor(w: KObject, o: Observation, s: Summary): WorkloadPhase {
  if (w.metadata.deletionTimestamp) return 'Deleting';
  const running = s.updatedReady >= desiredReplicas(w);
  if (running) return 'Running';
  if (o.createFailure || s.failing || o.deadlineExceeded) return 'Failed';
  if (o.missingNetwork) return 'Pending';
  return o.pods.some((p) => podFacts(p).active && podFacts(p).bound) ? 'Provisioning' : 'Pending';
}

function conditionsFor(w: KObject, o: Observation, s: Summary): { wanted: Omit<Condition, 'lastTransitionTime'>[]; remove: string[] } {
  const generation = w.metadata.generation ?? 1;
  const name = w.metadata.name;
  const available: Omit<Condition, 'lastTransitionTime'> =
    s.ready >= desiredReplicas(w)
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Workload has minimum availability.' }
      : {
          type: 'Available',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: s.failing ? `Workload does not have minimum availability: ${s.failing}` : 'Workload does not have minimum availability.',
        };
  let progressing: Omit<Condition, 'lastTransitionTime'>;
  if (o.missingNetwork) {
    progressing = { type: 'Progressing', status: 'False', reason: 'NetworkNotFound', message: `Unable to find network: ${o.missingNetwork}` };
  } else if (s.complete) {
    progressing = { type: 'Progressing', status: 'True', reason: 'ReplicasUpdated', message: `Workload "${name}" has successfully progressed.` };
  } else if (o.deadlineExceeded) {
    progressing = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `Workload "${name}" has timed out progressing.` };
  } else {
    const want = desiredReplicas(w);
    progressing = {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicasCreated',
      message: `Workload "${name}" is progressing: ${s.updatedReady} of ${want} pods updated and ready.`,
    };
  }
  const wanted = [available, progressing].map((c) => ({ ...c, observedGeneration: generation }));
  if (o.createFailure) {
    wanted.push({ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: o.createFailure, observedGeneration: generation });
    return { wanted, remove: [] };
  }
  return { wanted, remove: ['ReplicaFailure'] };
}

/** The status to write; equal (deepEqual) to the current one when nothing changed. */
export function workloadStatus(w: KObject, o: Observation): Record<string, unknown> {
  const s = summarize(w, o.pods, o.hash);
  const old = isPlainObject(w.status) ? w.status : {};
  const { wanted, remove } = conditionsFor(w, o, s);
  return {
    phase: phaseFor(w, o, s),
    replicas: s.replicas,
    readyReplicas: s.ready,
    availableReplicas: s.ready,
    updatedReplicas: s.updated,
    observedGeneration: w.metadata.generation ?? 1,
    selector: workloadSelectorString(w),
    conditions: mergeConditions(readConditions(old), wanted, remove, o.now),
  };
}

export const statusChanged = (w: KObject, status: Record<string, unknown>): boolean => !deepEqual(w.status ?? {}, status);
