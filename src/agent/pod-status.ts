// Computes a pod's status from what the runtime reports, as kubelet's status
// manager does: phase, the kubelet-owned conditions (each keeping its
// lastTransitionTime while its status holds), container statuses in spec
// order, addresses and startTime. Fields others own (qosClass, an address an
// IPAM controller wrote, nominatedNodeName, custom conditions) are kept, so
// comparing the result with the current status tells whether to write.

import type { KObject } from '../api/object.js';
import type { ContainerRuntimeStatus, PodRuntimeStatus } from './runtime/types.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface PodStatusInput {
  pod: KObject;
  /** Undefined until the runtime was asked to run the pod. */
  runtime?: PodRuntimeStatus;
  /** Containers that cannot start yet: container name → CreateContainerConfigError message. */
  configErrors?: Map<string, string>;
  hostIP: string;
  /** The address to report when the pod has none yet. */
  podIP: string;
  now: string;
}

const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
const isTerminal = (phase: unknown) => phase === 'Succeeded' || phase === 'Failed';

function waiting(c: Obj, reason: string, message?: string): Obj {
  const w: Obj = { reason };
  if (message) w.message = message;
  return { name: str(c.name), state: { waiting: w }, lastState: {}, ready: false, restartCount: 0, image: str(c.image), imageID: '', started: false };
}

function fromRuntime(rs: ContainerRuntimeStatus): Obj {
  const s: Obj = {
    name: rs.name,
    state: rs.state,
    lastState: rs.lastState ?? {},
    ready: rs.ready,
    restartCount: rs.restartCount,
    image: rs.image,
    imageID: rs.imageID ?? '',
    started: rs.started,
  };
  if (rs.containerID) s.containerID = rs.containerID;
  return s;
}

/** Init containers are not run by the runtimes: they are reported done once the pod is launched. */
function initStatuses(spec: Obj, old: Obj, launched: boolean, now: string): Obj[] {
  const before = new Map(list(old.initContainerStatuses).map((s) => [str(s.name), s]));
  return list(spec.initContainers).map((c) => {
    const prev = before.get(str(c.name));
    if (prev && obj(prev.state).terminated) return prev;
    if (!launched) return waiting(c, 'PodInitializing');
    const terminated = { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now };
    return { ...waiting(c, ''), state: { terminated }, ready: true };
  });
}

function phaseOf(oldPhase: unknown, runtime: PodRuntimeStatus | undefined, statuses: Obj[]): string {
  if (isTerminal(oldPhase)) return oldPhase as string;
  if (runtime?.terminalPhase) return runtime.terminalPhase;
  if (!runtime) return 'Pending';
  // Pending until every container has run at least once; a crashed one waiting to restart keeps the pod Running.
  const neverRan = statuses.some((s) => obj(s.state).waiting && s.restartCount === 0 && !obj(s.lastState).terminated);
  return neverRan ? 'Pending' : 'Running';
}

function readinessGateProblem(spec: Obj, oldConditions: Obj[]): string | undefined {
  for (const g of list(spec.readinessGates)) {
    const type = str(g.conditionType);
    const c = oldConditions.find((x) => x.type === type);
    if (!c) return `corresponding condition of pod readiness gate "${type}" does not exist.`;
    if (c.status !== 'True') return `the status of pod readiness gate "${type}" is not "True", but ${str(c.status)}`;
  }
  return undefined;
}

/** `sandbox`: the pod got as far as its containers' config (kubelet's sandbox exists). */
function conditions(pod: KObject, old: Obj, phase: string, statuses: Obj[], launched: boolean, sandbox: boolean, now: string): Obj[] {
  const inits = list(obj(pod.spec).initContainers).map((c) => str(c.name));
  const previous = list(old.conditions);
  const make = (type: string, status: string, reason?: string, message?: string): Obj => {
    const was = previous.find((c) => c.type === type);
    const c: Obj = { type, status, lastTransitionTime: was?.status === status && was.lastTransitionTime ? was.lastTransitionTime : now };
    if (reason) c.reason = reason;
    if (message) c.message = message;
    return c;
  };
  const unready = statuses.filter((s) => s.ready !== true).map((s) => str(s.name));
  let readiness: [status: string, reason?: string, message?: string] = ['True'];
  if (isTerminal(phase)) readiness = ['False', 'PodCompleted'];
  else if (unready.length) readiness = ['False', 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`];
  const gate = readiness[0] === 'True' ? readinessGateProblem(obj(pod.spec), previous) : undefined;
  const containersReady = make('ContainersReady', ...readiness);
  const ready = gate ? make('Ready', 'False', 'ReadinessGatesNotReady', gate) : make('Ready', ...readiness);
  const scheduled = previous.find((c) => c.type === 'PodScheduled') ?? make('PodScheduled', 'True');
  return [
    make('PodReadyToStartContainers', sandbox ? 'True' : 'False'),
    inits.length && !launched
      ? make('Initialized', 'False', 'ContainersNotInitialized', `containers with incomplete status: [${inits.join(' ')}]`)
      : make('Initialized', 'True'),
    ready,
    containersReady,
    scheduled,
    ...previous.filter((c) => !KUBELET_CONDITIONS.has(str(c.type))),
  ];
}

export function computePodStatus(input: PodStatusInput): Obj {
  const { pod, runtime, configErrors, now } = input;
  const spec = obj(pod.spec);
  const old = obj(pod.status);
  const byName = new Map((runtime?.containers ?? []).map((c) => [c.name, c]));
  const statuses = list(spec.containers).map((c) => {
    const rs = byName.get(str(c.name));
    if (rs) return fromRuntime(rs);
    const err = configErrors?.get(str(c.name));
    if (err) return waiting(c, 'CreateContainerConfigError', err);
    return waiting(c, list(spec.initContainers).length ? 'PodInitializing' : 'ContainerCreating');
  });
  const phase = phaseOf(old.phase, runtime, statuses);
  const podIP = str(old.podIP) || input.podIP;
  const status: Obj = {
    ...old,
    phase,
    conditions: conditions(pod, old, phase, statuses, !!runtime, !!runtime || !!configErrors?.size, now),
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    podIP,
    podIPs: Array.isArray(old.podIPs) && old.podIPs.length ? old.podIPs : [{ ip: podIP }],
    startTime: str(old.startTime) || now,
    containerStatuses: statuses,
  };
  if (list(spec.initContainers).length) status.initContainerStatuses = initStatuses(spec, old, !!runtime, now);
  return status;
}

