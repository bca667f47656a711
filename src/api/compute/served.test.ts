// The compute kinds through the real write pipeline (registry over memory
// storage): defaults land, 422s read as kube's, status and spec stay apart.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApi, type TestApi } from '../../client/testing.js';
import { ApiError } from '../errors.js';
import type { KObject } from '../object.js';
import { schedulingWorkloadDefinition } from '../scheduling/workload.js';
import { networkDefinition } from './network.js';
import { projectDefinition } from './project.js';
import { computeWorkloadDefinition } from './workload.js';

const CWL = { group: 'compute.miloapis.com', version: 'v1alpha1', resource: 'workloads' };
const SWL = { group: 'scheduling.k8s.io', version: 'v1alpha1', resource: 'workloads' };
const NETS = { group: 'networking.miloapis.com', version: 'v1alpha1', resource: 'networks' };
const PROJECTS = { group: 'resourcemanager.miloapis.com', version: 'v1alpha1', resource: 'projects' };

const webApp = (ns: string): KObject => ({
  apiVersion: 'compute.miloapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name: 'web-app', namespace: ns },
  spec: { template: { metadata: { labels: { app: 'web-app' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } } },
});

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  assert.fail('expected the write to be refused');
}

describe('compute kinds served', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi([computeWorkloadDefinition, networkDefinition, projectDefinition, schedulingWorkloadDefinition]);
  });
  after(async () => {
    await api.close();
  });

  it('refuses a workload outside a project namespace with kube\'s 422', async () => {
    const err = await refusal(api.client.resource(CWL).create('default', webApp('default')));
    assert.equal(err.code, 422);
    assert.equal(
      err.message,
      'Workload.compute.miloapis.com "web-app" is invalid: metadata.namespace: Invalid value: "default": workloads must be created in a project namespace (project-<name>)',
    );
  });

  it('defaults a workload, keeps status on spec writes and spec on status writes', async () => {
    const workloads = api.client.resource(CWL);
    const w = await workloads.create('project-p', webApp('project-p'));
    const spec = w.spec as Record<string, any>;
    assert.equal(spec.replicas, 1);
    assert.deepEqual(spec.selector, { matchLabels: { app: 'web-app' } });
    assert.equal(spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.deepEqual(w.status, { phase: 'Pending', replicas: 0, selector: 'app=web-app' });

    const running = await workloads.updateStatus('project-p', { ...w, status: { ...(w.status as object), phase: 'Running', replicas: 1, readyReplicas: 1 } });
    assert.equal((running.status as Record<string, unknown>).phase, 'Running');

    const scaled = await workloads.patch('project-p', 'web-app', 'merge', { spec: { replicas: 3 }, status: { phase: 'Failed' } });
    assert.equal((scaled.spec as Record<string, unknown>).replicas, 3);
    assert.equal((scaled.status as Record<string, unknown>).phase, 'Running');
    assert.equal(scaled.metadata.generation, 2);

    const err = await refusal(workloads.patch('project-p', 'web-app', 'merge', { spec: { selector: { matchLabels: { app: 'other' } } } }));
    assert.match(err.message, /spec\.selector: Invalid value: .*: field is immutable/);
  });

  it('defaults a network and a project', async () => {
    const net = await api.client.resource(NETS).create('project-p', { apiVersion: 'networking.miloapis.com/v1alpha1', kind: 'Network', metadata: { name: 'prod-network' } });
    assert.deepEqual(net.spec, { ipam: { cidr: '10.128.0.0/16' } });
    const proj = await api.client.resource(PROJECTS).create(undefined, { apiVersion: 'resourcemanager.miloapis.com/v1alpha1', kind: 'Project', metadata: { name: 'myproject' } });
    assert.deepEqual(proj.status, { namespace: 'project-myproject', phase: 'Active' });
  });

  it('serves scheduling workloads with pod groups frozen', async () => {
    const swl = api.client.resource(SWL);
    const body: KObject = {
      apiVersion: 'scheduling.k8s.io/v1alpha1',
      kind: 'Workload',
      metadata: { name: 'training', namespace: 'ml' },
      spec: { podGroups: [{ name: 'workers', policy: { gang: { minCount: 4 } } }] },
    };
    await swl.create('ml', body);
    const err = await refusal(swl.patch('ml', 'training', 'merge', { spec: { podGroups: [{ name: 'workers', policy: { gang: { minCount: 2 } } }] } }));
    assert.equal(
      err.message,
      'Workload.scheduling.k8s.io "training" is invalid: spec.podGroups: Invalid value: [{"name":"workers","policy":{"gang":{"minCount":2}}}]: field is immutable',
    );
    const empty = await refusal(swl.create('ml', { ...body, metadata: { name: 'empty', namespace: 'ml' }, spec: { podGroups: [] } }));
    assert.equal(empty.message, 'Workload.scheduling.k8s.io "empty" is invalid: spec.podGroups: Required value: must have at least one item');
  });
});
