// Writing a scheduling decision: the pods/binding subresource. Two binders:
// one calls the registry of the same process (no HTTP), applying exactly what
// POST .../pods/NAME/binding applies; the other posts the Binding to any
// Kubernetes-compatible API server. Both reject with 409 when the pod is
// already bound, being deleted, or was replaced (uid differs).

import type { UserInfo } from '../api/definition.js';
import type { KObject } from '../api/object.js';
import { applyBinding } from '../api/core/pod-binding.js';

export { applyBinding };
import { SYSTEM_USER } from '../client/in-process-client.js';
import type { Registry } from '../registry/registry.js';

export interface Binder {
  bind(pod: KObject, nodeName: string): Promise<void>;
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
