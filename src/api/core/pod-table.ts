// The cells of `kubectl get pods`, computed as kube-apiserver's pod printer
// does: READY counts, the STATUS reason (init progress, waiting and terminated
// reasons, Terminating, Completed...), RESTARTS with the last restart's age,
// and the wide columns.

import { formatAge } from '../duration.js';
import { isPlainObject, type KObject } from '../object.js';

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

const specOf = (pod: KObject) => obj(pod.spec);
const statusOf = (pod: KObject) => obj(pod.status);

interface PodSummary {
  ready: string;
  reason: string;
  restarts: number;
  /** ms since epoch of the most recent container termination counted in `restarts`. */
  lastRestart: number;
}

const isRestartableInit = (c: Obj | undefined) => c?.restartPolicy === 'Always';
const finishedAt = (cs: Obj) => {
  const t = Date.parse(str(obj(obj(cs.lastState).terminated).finishedAt));
  return Number.isNaN(t) ? 0 : t;
};
const conditionTrue = (status: Obj, type: string) => arr(status.conditions).some((c) => c.type === type && c.status === 'True');
const isTerminalPhase = (phase: string) => phase === 'Succeeded' || phase === 'Failed';

export function summarizePod(pod: KObject): PodSummary {
  const spec = specOf(pod);
  const status = statusOf(pod);
  const initSpecs = new Map(arr(spec.initContainers).map((c) => [str(c.name), c]));
  let total = arr(spec.containers).length;
  for (const c of initSpecs.values()) if (isRestartableInit(c)) total++;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let sidecarLastRestart = 0;
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  if (arr(status.conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses);
  const initCount = initSpecs.size;
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    const state = obj(cs.state);
    const term = isPlainObject(state.terminated) ? state.terminated : undefined;
    const waiting = isPlainObject(state.waiting) ? state.waiting : undefined;
    restarts += num(cs.restartCount);
    lastRestart = Math.max(lastRestart, finishedAt(cs));
    const sidecar = isRestartableInit(initSpecs.get(str(cs.name)));
    if (sidecar) {
      sidecarRestarts += num(cs.restartCount);
      sidecarLastRestart = Math.max(sidecarLastRestart, finishedAt(cs));
    }
    if (term && num(term.exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (term) {
      if (str(term.reason)) reason = `Init:${str(term.reason)}`;
      else reason = num(term.signal) !== 0 ? `Init:Signal:${num(term.signal)}` : `Init:ExitCode:${num(term.exitCode)}`;
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initCount}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = sidecarLastRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      const state = obj(cs.state);
      restarts += num(cs.restartCount);
      lastRestart = Math.max(lastRestart, finishedAt(cs));
      const waiting = obj(state.waiting);
      const term = isPlainObject(state.terminated) ? state.terminated : undefined;
      if (str(waiting.reason)) reason = str(waiting.reason);
      else if (term && str(term.reason)) reason = str(term.reason);
      else if (term) reason = num(term.signal) !== 0 ? `Signal:${num(term.signal)}` : `ExitCode:${num(term.exitCode)}`;
      else if (cs.ready === true && isPlainObject(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    // A completed container next to running ones means the pod as a whole still runs.
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata.deletionTimestamp && status.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !isTerminalPhase(phase)) reason = 'Terminating';

  return { ready: `${ready}/${total}`, reason, restarts, lastRestart };
}

export const podReadyCell = (pod: KObject) => summarizePod(pod).ready;
export const podStatusCell = (pod: KObject) => summarizePod(pod).reason;

/** `3`, or `3 (5m ago)` when the last restart time is known. */
export function podRestartsCell(pod: KObject, now: number): string {
  const { restarts, lastRestart } = summarizePod(pod);
  return restarts !== 0 && lastRestart > 0 ? `${restarts} (${formatAge(now - lastRestart)} ago)` : String(restarts);
}

export function podIPCell(pod: KObject): string {
  const status = statusOf(pod);
  const ips = arr(status.podIPs);
  return str(ips[0]?.ip) || str(status.podIP) || '<none>';
}

export const podNodeCell = (pod: KObject) => str(specOf(pod).nodeName) || '<none>';
export const podNominatedNodeCell = (pod: KObject) => str(statusOf(pod).nominatedNodeName) || '<none>';

export function podReadinessGatesCell(pod: KObject): string {
  const gates = arr(specOf(pod).readinessGates);
  if (gates.length === 0) return '<none>';
  const conditions = arr(statusOf(pod).conditions);
  const trueCount = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${trueCount}/${gates.length}`;
}
