// The kinds every real client is driven through, as data: core kinds (a
// namespaced ConfigMap and Pod, the cluster-scoped Namespace), a CRD applied in
// setup, and the Workload kinds users create (compute.miloapis.com,
// scheduling.k8s.io). The kuma.io Workload, which only the control plane
// writes, has its own scenario. Each case says what to send for each patch
// type and what the answer must show, and how kube answers its delete.

import assert from 'node:assert/strict';
import type { KubeHttp } from '../support/kube-http.js';
import { sleep } from '../support/kube-http.js';
import type { KindRef, Obj } from './driver.js';

export interface PatchStep {
  body: unknown;
  check(o: Obj): void;
}

export interface KindCase {
  id: string;
  title: string;
  ref: KindRef;
  /** Where the case's objects live; undefined for cluster-scoped kinds. */
  namespace?: string;
  /** Prepares what the case needs (namespace, CRD, Project), as the admin. */
  setup(admin: KubeHttp): Promise<void>;
  name: string;
  object(name: string): Obj;
  merge: PatchStep;
  /** Built-in kinds take strategic merge patch; custom kinds answer 415, as kube does for CRDs. */
  strategic: PatchStep | 'unsupported';
  json: PatchStep;
  replace: { mutate(o: Obj): void; check(o: Obj): void };
  /**
   * How kube answers the delete: the object (kinds whose store returns it, such
   * as Pod, and objects that are not gone yet: graceful deletion, finalizers)
   * or a `Status` with `status: Success` and the object's name and uid.
   */
  deleteAnswer: 'object' | 'status';
}

export const CONFIG_MAPS: KindRef = { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true, typed: { js: 'ConfigMap', py: 'config_map' } };
export const PODS: KindRef = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, typed: { js: 'Pod', py: 'pod' } };
export const NAMESPACES: KindRef = { group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, typed: { js: 'Namespace', py: 'namespace' } };
export const CRONTABS: KindRef = { group: 'clients.example.com', version: 'v1', plural: 'crontabs', kind: 'CronTab', namespaced: true };
export const COMPUTE_WORKLOADS: KindRef = { group: 'compute.miloapis.com', version: 'v1alpha1', plural: 'workloads', kind: 'Workload', namespaced: true };
export const SCHEDULING_WORKLOADS: KindRef = { group: 'scheduling.k8s.io', version: 'v1alpha1', plural: 'workloads', kind: 'Workload', namespaced: true };
export const MESH_WORKLOADS: KindRef = { group: 'kuma.io', version: 'v1alpha1', plural: 'workloads', kind: 'Workload', namespaced: true };

const CRONTAB_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'crontabs.clients.example.com' },
  spec: {
    group: 'clients.example.com',
    names: { kind: 'CronTab', listKind: 'CronTabList', plural: 'crontabs', singular: 'crontab', shortNames: ['ct'] },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['cronSpec', 'image'],
                properties: { cronSpec: { type: 'string' }, image: { type: 'string' }, replicas: { type: 'integer', minimum: 0 } },
              },
            },
          },
        },
      },
    ],
  },
};

async function until(what: string, pred: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(50);
  }
}

/** Creates a namespace (with labels) unless it exists. */
export async function ensureNamespace(admin: KubeHttp, name: string, labels: Record<string, string> = {}): Promise<void> {
  const r = await admin.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
  if (r.status !== 201 && r.status !== 409) throw new Error(`creating namespace ${name}: ${r.status} ${JSON.stringify(r.body)}`);
}

const labels = (o: Obj) => (o.metadata?.labels ?? {}) as Record<string, string>;

const configMapCase: KindCase = {
  id: 'configmap',
  title: 'ConfigMap (core, namespaced)',
  ref: CONFIG_MAPS,
  namespace: 'cm',
  setup: (admin) => ensureNamespace(admin, 'cm'),
  name: 'settings',
  object: (name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { app: 'clients' } }, data: { a: '1' } }),
  merge: { body: { data: { b: '2' } }, check: (o) => assert.deepEqual(o.data, { a: '1', b: '2' }) },
  strategic: { body: { metadata: { labels: { tier: 'x' } }, data: { c: '3' } }, check: (o) => assert.deepEqual([labels(o).tier, o.data], ['x', { a: '1', b: '2', c: '3' }]) },
  json: {
    body: [
      { op: 'replace', path: '/data/a', value: '10' },
      { op: 'remove', path: '/data/b' },
    ],
    check: (o) => assert.deepEqual(o.data, { a: '10', c: '3' }),
  },
  replace: { mutate: (o) => (o.data = { d: '4' }), check: (o) => assert.deepEqual(o.data, { d: '4' }) },
  deleteAnswer: 'status',
};

const podCase: KindCase = {
  id: 'pod',
  title: 'Pod (core, namespaced, run by a node agent)',
  ref: PODS,
  namespace: 'pods',
  setup: (admin) => ensureNamespace(admin, 'pods'),
  name: 'web',
  object: (name) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'clients' } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25', ports: [{ name: 'http', containerPort: 80 }] }] },
  }),
  merge: { body: { metadata: { labels: { tier: 'web' } } }, check: (o) => assert.equal(labels(o).tier, 'web') },
  // Containers merge by name: the image changes, the ports stay.
  strategic: {
    body: { spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } },
    check: (o) => assert.deepEqual([o.spec.containers[0].image, o.spec.containers[0].ports?.[0]?.containerPort], ['nginx:1.26', 80]),
  },
  json: { body: [{ op: 'add', path: '/metadata/labels/patched', value: 'json' }], check: (o) => assert.equal(labels(o).patched, 'json') },
  replace: { mutate: (o) => (o.metadata.labels = { ...labels(o), replaced: 'yes' }), check: (o) => assert.equal(labels(o).replaced, 'yes') },
  deleteAnswer: 'object',
};

const namespaceCase: KindCase = {
  id: 'namespace',
  title: 'Namespace (core, cluster-scoped, finalized by the control plane)',
  ref: NAMESPACES,
  setup: async () => {},
  name: 'clients-scratch',
  object: (name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { app: 'clients' } } }),
  merge: { body: { metadata: { labels: { tier: 'x' } } }, check: (o) => assert.equal(labels(o).tier, 'x') },
  strategic: { body: { metadata: { annotations: { note: 'smp' } } }, check: (o) => assert.equal(o.metadata.annotations?.note, 'smp') },
  json: { body: [{ op: 'add', path: '/metadata/labels/patched', value: 'json' }], check: (o) => assert.equal(labels(o).patched, 'json') },
  replace: { mutate: (o) => (o.metadata.labels = { ...labels(o), replaced: 'yes' }), check: (o) => assert.equal(labels(o).replaced, 'yes') },
  deleteAnswer: 'object',
};

const crdCase: KindCase = {
  id: 'crd',
  title: 'CronTab (a CRD applied in setup)',
  ref: CRONTABS,
  namespace: 'crontabs',
  async setup(admin) {
    await ensureNamespace(admin, 'crontabs');
    const r = await admin.send('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', CRONTAB_CRD);
    if (r.status !== 201 && r.status !== 409) throw new Error(`creating the CRD: ${r.status} ${JSON.stringify(r.body)}`);
    await until('the CronTab CRD to be established', async () => {
      const crd = await admin.ok('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/crontabs.clients.example.com');
      return (crd.status?.conditions ?? []).some((c: Obj) => c.type === 'Established' && c.status === 'True');
    });
  },
  name: 'nightly',
  object: (name) => ({ apiVersion: 'clients.example.com/v1', kind: 'CronTab', metadata: { name, labels: { app: 'clients' } }, spec: { cronSpec: '0 3 * * *', image: 'backup:1', replicas: 1 } }),
  merge: { body: { spec: { replicas: 2 } }, check: (o) => assert.deepEqual([o.spec.replicas, o.spec.image], [2, 'backup:1']) },
  strategic: 'unsupported',
  json: { body: [{ op: 'replace', path: '/spec/image', value: 'backup:2' }], check: (o) => assert.deepEqual([o.spec.replicas, o.spec.image], [2, 'backup:2']) },
  replace: { mutate: (o) => (o.spec.cronSpec = '30 4 * * *'), check: (o) => assert.equal(o.spec.cronSpec, '30 4 * * *') },
  deleteAnswer: 'status',
};

const computeCase: KindCase = {
  id: 'compute-workload',
  title: 'compute.miloapis.com Workload (pods from a template; a finalizer holds its deletion)',
  ref: COMPUTE_WORKLOADS,
  namespace: 'project-clients',
  async setup(admin) {
    const r = await admin.send('POST', '/apis/resourcemanager.miloapis.com/v1alpha1/projects', { apiVersion: 'resourcemanager.miloapis.com/v1alpha1', kind: 'Project', metadata: { name: 'clients' } });
    if (r.status !== 201 && r.status !== 409) throw new Error(`creating the Project: ${r.status} ${JSON.stringify(r.body)}`);
    await until('namespace project-clients', async () => (await admin.send('GET', '/api/v1/namespaces/project-clients')).body?.status?.phase === 'Active');
  },
  name: 'web-app',
  object: (name) => ({
    apiVersion: 'compute.miloapis.com/v1alpha1',
    kind: 'Workload',
    metadata: { name, labels: { app: 'clients' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ name: 'http', containerPort: 80 }] }] } },
    },
  }),
  merge: { body: { metadata: { labels: { tier: 'web' } }, spec: { replicas: 2 } }, check: (o) => assert.deepEqual([labels(o).tier, o.spec.replicas], ['web', 2]) },
  strategic: {
    body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } },
    check: (o) => assert.deepEqual([o.spec.template.spec.containers[0].image, o.spec.template.spec.containers[0].ports?.[0]?.containerPort], ['nginx:1.26', 80]),
  },
  json: { body: [{ op: 'replace', path: '/spec/replicas', value: 1 }], check: (o) => assert.equal(o.spec.replicas, 1) },
  replace: { mutate: (o) => (o.metadata.labels = { ...labels(o), replaced: 'yes' }), check: (o) => assert.equal(labels(o).replaced, 'yes') },
  deleteAnswer: 'object',
};

const schedulingCase: KindCase = {
  id: 'scheduling-workload',
  title: 'scheduling.k8s.io Workload (gang pod groups)',
  ref: SCHEDULING_WORKLOADS,
  namespace: 'gangs',
  setup: (admin) => ensureNamespace(admin, 'gangs'),
  name: 'training',
  object: (name) => ({
    apiVersion: 'scheduling.k8s.io/v1alpha1',
    kind: 'Workload',
    metadata: { name, labels: { app: 'clients' } },
    spec: { podGroups: [{ name: 'workers', policy: { gang: { minCount: 2 } } }] },
  }),
  merge: { body: { metadata: { labels: { tier: 'batch' } } }, check: (o) => assert.equal(labels(o).tier, 'batch') },
  strategic: { body: { metadata: { annotations: { note: 'smp' } } }, check: (o) => assert.equal(o.metadata.annotations?.note, 'smp') },
  // controllerRef may be set once when it was unset.
  json: {
    body: [{ op: 'add', path: '/spec/controllerRef', value: { apiGroup: 'batch', kind: 'Job', name: 'trainer' } }],
    check: (o) => assert.deepEqual(o.spec.controllerRef, { apiGroup: 'batch', kind: 'Job', name: 'trainer' }),
  },
  replace: { mutate: (o) => (o.metadata.labels = { ...labels(o), replaced: 'yes' }), check: (o) => assert.equal(labels(o).replaced, 'yes') },
  deleteAnswer: 'status',
};

export const DIRECT_KINDS: KindCase[] = [configMapCase, podCase, namespaceCase, crdCase, computeCase, schedulingCase];

/** The namespace of the kuma.io Workload scenario: its pods are meshed, so the control plane generates Workloads there. */
export const MESH_NAMESPACE = 'mesh';

export async function setupMesh(admin: KubeHttp): Promise<void> {
  await ensureNamespace(admin, MESH_NAMESPACE, { 'kuma.io/sidecar-injection': 'enabled' });
}

/** A meshed pod that makes the control plane generate the kuma.io Workload `workload`. */
export const meshPod = (name: string, workload: string): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, annotations: { 'kuma.io/workload': workload } },
  spec: { containers: [{ name: 'app', image: 'demo-app:1.0', ports: [{ containerPort: 8080 }] }] },
});
