// Writing a scheduling decision: the pods/binding subresource. Two binders:
// one calls the registry of the same process (no HTTP), applying exactly what
// POST .../pods/NAME/binding applies; the other posts the Binding to any
// Kubernetes-compatible API server. Both reject with 409 when the pod is
// already bound, being deleted, or was replaced (uid differs).

import type { UserInfo } from '../api/definition.js';
import { conflict } from '../api/errors.js';
import { nowIso, type KObject } from '../api/object.js';
import { SYSTEM_USER } from '../client/in-process-client.js';
import type { Registry } from '../registry/registry.js';

export interface Binder {
  bind(pod: KObject, nodeName: string): Promise<void>;
}

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

export interface RegistryBinderOptions {
  user?: UserInfo;
  fieldManager?: string;
}

export function registryBinder(registry: Registry, opts: RegistryBinderOptions = {}): Binder {
  const user = opts.user ?? SYSTEM_USER;
  const fieldManager = opts.fieldManager ?? 'default-scheduler';
  return {
    async bind(pod, nodeName) {
      const store = registry.lookup('', 'v1', 'pods');
      if (!store) throw new Error('pods are not served');
      const uid = pod.metadata.uid;
      await store.update(pod.metadata.namespace, pod.metadata.name ?? '', (cur) => applyBinding(cur!, nodeName, uid), {
        user,
        dryRun: false,
        fieldManager,
        subresource: 'binding',
      });
    },
  };
}

/** The slice of an HTTP transport the binder needs (HttpTransport fits). */
export interface JsonRequester {
  request(method: string, path: string, o?: { body?: unknown }): Promise<unknown>;
}

export function httpBinder(transport: JsonRequester): Binder {
  return {
    async bind(pod, nodeName) {
      const { name = '', namespace = 'default', uid } = pod.metadata;
      const body = {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name, namespace, uid },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      };
      await transport.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/binding`, { body });
    },
  };
}
