// Test support for the compute controllers: a real in-process registry with
// the core and compute kinds, quota admission, the compute controllers and a
// fake kubelet standing in for the scheduler and node agents.

import { setMaxListeners } from 'node:events';
import { computeWorkloadDefinition, networkDefinition, projectDefinition } from '../../api/compute/index.js';
import { coreDefinitions } from '../../api/core/index.js';
import type { KObject } from '../../api/object.js';
import { silentLogger } from '../../client/logger.js';
import { startTestApi, type TestApi } from '../../client/testing.js';
import { fakeKubelet, type FakeKubelet, type FakeKubeletOptions } from './fake-kubelet.js';
import { computeAdmissionPlugins, startComputeControllers } from './index.js';

export interface ComputeTestEnv {
  api: TestApi;
  kubelet: FakeKubelet;
  close(): Promise<void>;
}

export async function startComputeEnv(opts: { progressDeadlineSeconds?: number; kubelet?: FakeKubeletOptions } = {}): Promise<ComputeTestEnv> {
  const api = await startTestApi([...coreDefinitions, computeWorkloadDefinition, networkDefinition, projectDefinition]);
  for (const p of computeAdmissionPlugins(api.registry)) api.admission.register(p);
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const running = startComputeControllers(api.client, abort.signal, { log: silentLogger, progressDeadlineSeconds: opts.progressDeadlineSeconds });
  const kubelet = fakeKubelet(api.client, opts.kubelet);
  return {
    api,
    kubelet,
    async close() {
      abort.abort();
      await running;
      await kubelet.stop();
      await api.close();
    },
  };
}

/** The seed's basic web application (003), in `namespace`. */
export function webApp(namespace = 'project-myproject', extra: { replicas?: number; image?: string; spec?: Record<string, unknown> } = {}): KObject {
  return {
    apiVersion: 'compute.miloapis.com/v1alpha1',
    kind: 'Workload',
    metadata: { name: 'web-app', namespace, labels: { 'app.kubernetes.io/name': 'web-app', environment: 'production' } },
    spec: {
      replicas: extra.replicas ?? 3,
      selector: { matchLabels: { app: 'web-app' } },
      template: {
        metadata: { labels: { app: 'web-app' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: extra.image ?? 'nginx:1.25',
              ports: [{ containerPort: 80, name: 'http' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
            },
          ],
        },
      },
      ...extra.spec,
    },
  };
}

type Obj = Record<string, unknown>;
export const statusOf = (w: KObject | undefined): Obj => (w?.status ?? {}) as Obj;
export const conditionOf = (w: KObject | undefined, type: string): Obj | undefined =>
  ((statusOf(w).conditions as Obj[] | undefined) ?? []).find((c) => c.type === type);
