// Test support for the scheduler: Node, Pod and Workload builders, and a
// harness running a real Scheduler over an in-process registry (memory
// storage), with Node objects created directly instead of node agents.

import { coreDefinitions } from '../api/core/index.js';
import type { KObject } from '../api/object.js';
import { schedulingWorkloadDefinition } from '../api/scheduling/index.js';
import { EventRecorder } from '../client/event-recorder.js';
import { silentLogger } from '../client/logger.js';
import { eventually, startTestApi, type TestApi } from '../client/testing.js';
import type { ResourceClient } from '../client/types.js';
import { registryBinder, type Binder } from './binder.js';
import { Scheduler, type SchedulerFeatureGates, type SchedulerOptions } from './scheduler.js';
import { WORKLOADS } from './workloads.js';

export interface NodeSpec {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  unschedulable?: boolean;
  ready?: 'True' | 'False' | 'Unknown';
}

export function nodeObject(name: string, s: NodeSpec = {}): KObject {
  const spec: Record<string, unknown> = {};
  if (s.taints) spec.taints = s.taints;
  if (s.unschedulable) spec.unschedulable = true;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: s.labels ?? {} },
    spec,
    status: {
      allocatable: { cpu: s.cpu ?? '4', memory: s.memory ?? '8Gi', pods: String(s.pods ?? 110) },
      capacity: { cpu: s.cpu ?? '4', memory: s.memory ?? '8Gi', pods: String(s.pods ?? 110) },
      conditions: [{ type: 'Ready', status: s.ready ?? 'True', reason: 'KubeletReady', message: 'ready' }],
    },
  };
}

export interface PodSpecOpts {
  cpu?: string;
  memory?: string;
  nodeSelector?: Record<string, string>;
  tolerations?: Record<string, unknown>[];
  workloadRef?: { name: string; podGroup: string; podGroupReplicaKey?: string };
  schedulerName?: string;
}

export function podObject(namespace: string, name: string, o: PodSpecOpts = {}): KObject {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const spec: Record<string, unknown> = { containers: [{ name: 'main', image: 'busybox', resources: { requests } }] };
  if (o.nodeSelector) spec.nodeSelector = o.nodeSelector;
  if (o.tolerations) spec.tolerations = o.tolerations;
  if (o.workloadRef) spec.workloadRef = o.workloadRef;
  if (o.schedulerName) spec.schedulerName = o.schedulerName;
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec };
}

export function workloadObject(namespace: string, name: string, groups: { name: string; minCount?: number }[]): KObject {
  return {
    apiVersion: 'scheduling.k8s.io/v1alpha1',
    kind: 'Workload',
    metadata: { name, namespace },
    spec: { podGroups: groups.map((g) => ({ name: g.name, policy: g.minCount ? { gang: { minCount: g.minCount } } : { basic: {} } })) },
  };
}

export interface Harness {
  api: TestApi;
  scheduler: Scheduler;
  events: EventRecorder;
  pods: ResourceClient;
  nodes: ResourceClient;
  workloads: ResourceClient;
  addNode(name: string, s?: NodeSpec): Promise<void>;
  addPod(namespace: string, name: string, o?: PodSpecOpts): Promise<KObject>;
  addWorkload(namespace: string, name: string, groups: { name: string; minCount?: number }[]): Promise<void>;
  pod(namespace: string, name: string): Promise<KObject>;
  nodeOf(namespace: string, name: string): Promise<string>;
  /** Polls until the pod is bound; returns its node. */
  waitBound(namespace: string, name: string): Promise<string>;
  /** Polls until the pod shows PodScheduled=False with a message matching `re`; returns the message. */
  waitUnschedulable(namespace: string, name: string, re?: RegExp): Promise<string>;
  /** Messages of the events recorded about a pod with this reason. */
  eventsFor(namespace: string, name: string, reason: string): Promise<string[]>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<SchedulerOptions> {
  /** Wraps the registry binder (to inject binding failures). */
  wrapBinder?: (b: Binder) => Binder;
}

export async function startHarness(gates: SchedulerFeatureGates = {}, extra: HarnessOptions = {}): Promise<Harness> {
  const api = await startTestApi([...coreDefinitions, schedulingWorkloadDefinition]);
  const client = api.client;
  const events = new EventRecorder(client, { component: 'default-scheduler', log: silentLogger });
  const { wrapBinder = (b: Binder) => b, ...rest } = extra;
  const scheduler = new Scheduler({
    client,
    binder: wrapBinder(registryBinder(api.registry)),
    events,
    featureGates: gates,
    log: silentLogger,
    queue: { initialBackoffMs: 1, maxBackoffMs: 10 },
    waitingStatusDelayMs: 0,
    ...rest,
  });
  const ac = new AbortController();
  const running = scheduler.start(ac.signal);
  const pods = client.resource({ group: '', version: 'v1', resource: 'pods' });
  const nodes = client.resource({ group: '', version: 'v1', resource: 'nodes' });
  const workloads = client.resource(WORKLOADS);
  const get = async (ns: string, name: string) => {
    const p = await pods.get(ns, name);
    if (!p) throw new Error(`pod ${ns}/${name} not found`);
    return p;
  };
  const nodeName = (p: KObject) => String((p.spec as Record<string, unknown>).nodeName ?? '');
  const scheduled = (p: KObject) =>
    ((p.status as Record<string, unknown> | undefined)?.conditions as Record<string, unknown>[] | undefined)?.find((c) => c.type === 'PodScheduled');
  const h: Harness = {
    api,
    scheduler,
    events,
    pods,
    nodes,
    workloads,
    async addNode(name, s) {
      const obj = nodeObject(name, s);
      const created = await nodes.create(undefined, obj);
      await nodes.updateStatus(undefined, { ...created, status: obj.status });
    },
    addPod: (ns, name, o) => pods.create(ns, podObject(ns, name, o)),
    async addWorkload(ns, name, groups) {
      await workloads.create(ns, workloadObject(ns, name, groups));
    },
    pod: get,
    nodeOf: async (ns, name) => nodeName(await get(ns, name)),
    async waitBound(ns, name) {
      let node = '';
      await eventually(async () => (node = nodeName(await get(ns, name))) !== '', `${ns}/${name} bound`);
      return node;
    },
    async waitUnschedulable(ns, name, re = /./) {
      let msg = '';
      await eventually(async () => {
        const c = scheduled(await get(ns, name));
        msg = String(c?.message ?? '');
        return c?.status === 'False' && c.reason === 'Unschedulable' && re.test(msg);
      }, `${ns}/${name} unschedulable (${re})`);
      return msg;
    },
    async eventsFor(ns, name, reason) {
      await events.flush();
      const list = await client.resource({ group: '', version: 'v1', resource: 'events' }).list(ns);
      return list.items
        .filter((e) => (e.involvedObject as Record<string, unknown>).name === name && e.reason === reason)
        .map((e) => String(e.message));
    },
    async close() {
      ac.abort();
      await running;
      await events.flush();
      await api.close();
    },
  };
  return h;
}
