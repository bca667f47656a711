// A stand-in for the scheduler and node agents in tests and benchmarks: binds
// pods to nodes round-robin and writes the status a node agent would (Running
// and Ready, or stuck in a waiting reason, or left unscheduled, as the test
// decides per pod), and finishes graceful deletions at once. The real ones
// live in src/scheduler and src/agent.

import { setMaxListeners } from 'node:events';
import { isPlainObject, nowIso, type KObject } from '../../api/object.js';
import { isNotFound } from '../../api/errors.js';
import { section } from '../../api/core/columns.js';
import { controllerFor } from '../../client/controller.js';
import { silentLogger } from '../../client/logger.js';
import { splitKey } from '../../client/object-key.js';
import type { Client } from '../../client/types.js';
import { PODS } from './resources.js';

/** What happens to a pod: run and become Ready (default), stay unscheduled, run unready, or wait with a reason. */
export type PodFate = 'ready' | 'unscheduled' | 'unready' | { waiting: string; message?: string };

export interface FakeKubeletOptions {
  /** Nodes pods are bound to, round-robin. Default `['node-1']`. */
  nodes?: string[];
  fate?: (pod: KObject) => PodFate;
  workers?: number;
}

export interface FakeKubelet {
  /** Change how pods fare from now on; every pod is looked at again. */
  setFate(fate: (pod: KObject) => PodFate): void;
  stop(): Promise<void>;
}

type Obj = Record<string, unknown>;
const containerNames = (pod: KObject): { name: string; image: string }[] =>
  (Array.isArray(section(pod, 'spec').containers) ? (section(pod, 'spec').containers as Obj[]) : []).map((c) => ({ name: String(c.name), image: String(c.image) }));

function desiredStatus(pod: KObject, fate: Exclude<PodFate, 'unscheduled'>, now: string): Obj {
  const old = section(pod, 'status');
  const ready = fate === 'ready';
  const waiting = typeof fate === 'object' ? fate : undefined;
  const cond = (type: string, ok: boolean) => ({ type, status: ok ? 'True' : 'False', lastTransitionTime: now, ...(ok ? {} : { reason: 'ContainersNotReady' }) });
  const containerStatuses = containerNames(pod).map((c) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    ready,
    started: !waiting,
    restartCount: 0,
    state: waiting ? { waiting: { reason: waiting.waiting, ...(waiting.message ? { message: waiting.message } : {}) } } : { running: { startedAt: now } },
  }));
  const status: Obj = {
    ...old,
    phase: waiting ? 'Pending' : 'Running',
    hostIP: '10.0.0.1',
    startTime: old.startTime ?? now,
    conditions: [cond('PodScheduled', true), cond('Initialized', true), cond('ContainersReady', ready), cond('Ready', ready)],
    containerStatuses,
  };
  return status;
}

/** The part of a status that says what state the pod is in, to skip rewriting an unchanged one. */
const shape = (st: Obj) =>
  JSON.stringify([
    st.phase,
    (Array.isArray(st.conditions) ? st.conditions : []).map((c) => (isPlainObject(c) ? `${c.type}=${c.status}` : '')),
    (Array.isArray(st.containerStatuses) ? st.containerStatuses : []).map((c) => (isPlainObject(c) ? JSON.stringify(c.state && Object.keys(c.state)) + String(c.ready) : '')),
    (Array.isArray(st.containerStatuses) ? st.containerStatuses : []).map((c) => (isPlainObject(c) && isPlainObject(c.state) && isPlainObject(c.state.waiting) ? c.state.waiting.reason : '')),
  ]);

export function fakeKubelet(client: Client, opts: FakeKubeletOptions = {}): FakeKubelet {
  const nodes = opts.nodes ?? ['node-1'];
  let fate = opts.fate ?? (() => 'ready' as PodFate);
  let next = 0;
  const pods = client.resource(PODS);
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const reconcile = async (key: string) => {
    const pod = c.informers.informerFor(PODS).getByKey(key);
    if (!pod) return;
    const { namespace, name } = splitKey(key);
    try {
      if (pod.metadata.deletionTimestamp) {
        await pods.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid } });
        return;
      }
      const f = fate(pod);
      if (f === 'unscheduled') return;
      let cur = pod;
      if (!section(pod, 'spec').nodeName) {
        const nodeName = nodes[next++ % nodes.length];
        cur = await pods.update(namespace, { ...pod, spec: { ...section(pod, 'spec'), nodeName } }, { subresource: 'binding' });
      }
      const status = desiredStatus(cur, f, nowIso());
      if (shape(status) === shape(section(cur, 'status'))) return;
      await pods.updateStatus(namespace, { ...cur, status });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  };
  const c = controllerFor(client, { name: 'fake-kubelet', workers: opts.workers ?? 4, log: silentLogger }).for(PODS).complete(reconcile);
  const done = c.start(abort.signal);
  return {
    setFate(f) {
      fate = f;
      for (const p of c.informers.informerFor(PODS).list()) c.enqueue(`${p.metadata.namespace}/${p.metadata.name}`);
    },
    async stop() {
      abort.abort();
      await done;
      await c.informers.stopped();
    },
  };
}
