import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { computeWorkloadDefinition } from '../api/compute/index.js';
import { coreDefinitions } from '../api/core/index.js';
import { kumaDefinitions } from '../api/kuma/index.js';
import type { KObject } from '../api/object.js';
import { schedulingWorkloadDefinition } from '../api/scheduling/index.js';
import type { ResourceRequest } from '../apiserver/request-info.js';
import { startTestApi, type TestApi } from '../client/testing.js';
import { HiddenWorkloads } from './hidden-workloads.js';

const COMPUTE = { group: 'compute.miloapis.com', version: 'v1alpha1', resource: 'workloads' };
const SCHEDULING = { group: 'scheduling.k8s.io', version: 'v1alpha1', resource: 'workloads' };

const computeWl = (ns: string, name: string): KObject => ({
  apiVersion: 'compute.miloapis.com/v1alpha1',
  kind: 'Workload',
  metadata: { name, namespace: ns },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } } },
});
const schedulingWl = (ns: string, name: string): KObject => ({
  apiVersion: 'scheduling.k8s.io/v1alpha1',
  kind: 'Workload',
  metadata: { name, namespace: ns },
  spec: { podGroups: [{ name: 'workers', policy: { basic: {} } }] },
});
const req = (group: string, verb: 'get' | 'list' | 'watch', namespace?: string, name?: string, subresource?: string): ResourceRequest => ({
  kind: 'resource',
  group,
  version: 'v1alpha1',
  resource: 'workloads',
  verb,
  namespace,
  name,
  subresource,
});

describe('warnings about Workloads a bare `workloads` leaves out', () => {
  let api: TestApi;
  let hidden: HiddenWorkloads;
  const ns = (name: string) => api.client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

  before(async () => {
    api = await startTestApi([...coreDefinitions, ...kumaDefinitions, computeWorkloadDefinition, schedulingWorkloadDefinition]);
    for (const n of ['project-myproject', 'project-other', 'quiet']) await ns(n);
    // Objects that exist before the counter starts are counted from the cache.
    await api.client.resource(COMPUTE).create('project-myproject', computeWl('project-myproject', 'web-app'));
    hidden = new HiddenWorkloads(api.registry, api.cache, 'kuma.io').start();
  });
  after(async () => {
    hidden.stop();
    await api.close();
  });

  it('counts the other groups per namespace, following creates and deletes, not updates', async () => {
    await api.client.resource(COMPUTE).create('project-myproject', computeWl('project-myproject', 'api-server'));
    await api.client.resource(COMPUTE).create('project-other', computeWl('project-other', 'batch'));
    await api.client.resource(SCHEDULING).create('project-myproject', schedulingWl('project-myproject', 'training'));
    await api.cache.sync();
    assert.deepEqual(hidden.warningsFor(req('kuma.io', 'list', 'project-myproject')), [
      '2 compute.miloapis.com Workloads in namespace "project-myproject" are not shown; use workloads.compute.miloapis.com (or cwl)',
      '1 scheduling.k8s.io Workload in namespace "project-myproject" is not shown; use workloads.scheduling.k8s.io (or swl)',
    ]);
    assert.deepEqual(hidden.warningsFor(req('kuma.io', 'list')), [
      '3 compute.miloapis.com Workloads in any namespace are not shown; use workloads.compute.miloapis.com (or cwl)',
      '1 scheduling.k8s.io Workload in any namespace is not shown; use workloads.scheduling.k8s.io (or swl)',
    ]);
    assert.deepEqual(hidden.warningsFor(req('kuma.io', 'list', 'quiet')), []);

    await api.client.resource(COMPUTE).patch('project-myproject', 'web-app', 'merge', { spec: { replicas: 2 } });
    await api.client.resource(COMPUTE).delete('project-myproject', 'api-server');
    await api.cache.sync();
    assert.deepEqual(hidden.warningsFor(req('kuma.io', 'list', 'project-myproject'))[0], '1 compute.miloapis.com Workload in namespace "project-myproject" is not shown; use workloads.compute.miloapis.com (or cwl)');
  });

  it('on a get, names an object of the same name in another group', () => {
    assert.deepEqual(hidden.warningsFor(req('kuma.io', 'get', 'project-myproject', 'web-app')), [
      'a compute.miloapis.com Workload named "web-app" also exists in namespace "project-myproject"; use workloads.compute.miloapis.com (or cwl)',
    ]);
    assert.deepEqual(hidden.warningsFor(req('kuma.io', 'get', 'project-myproject', 'nothing-here')), []);
  });

  it('says nothing for requests that cannot come from the bare name, nor for watches and subresources', () => {
    assert.deepEqual(hidden.warningsFor(req('compute.miloapis.com', 'list', 'project-myproject')), []);
    assert.deepEqual(hidden.warningsFor(req('kuma.io', 'watch', 'project-myproject')), []);
    assert.deepEqual(hidden.warningsFor(req('kuma.io', 'get', 'project-myproject', 'web-app', 'status')), []);
    assert.deepEqual(hidden.warningsFor({ ...req('kuma.io', 'list', 'project-myproject'), resource: 'dataplanes' }), []);
  });
});
