// Projects and their namespaces, with the core namespace controller and
// garbage collector running as in `workplane serve`.

import assert from 'node:assert/strict';
import { setMaxListeners } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { computeWorkloadDefinition, networkDefinition, projectDefinition } from '../../api/compute/index.js';
import { coreDefinitions } from '../../api/core/index.js';
import { Informer } from '../../client/informer.js';
import { silentLogger } from '../../client/logger.js';
import { eventually, startTestApi, type TestApi } from '../../client/testing.js';
import { runCoreControllers } from '../core/index.js';
import { startComputeControllers } from './index.js';
import { PROJECT_FINALIZER, PROJECT_LABEL } from './project-controller.js';
import { NAMESPACE_RESOURCE, PROJECTS } from './resources.js';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

describe('project controller', () => {
  let api: TestApi;
  const ac = new AbortController();
  setMaxListeners(0, ac.signal);
  let runs: Promise<void>[];
  before(async () => {
    api = await startTestApi([...coreDefinitions, computeWorkloadDefinition, networkDefinition, projectDefinition]);
    runs = [runCoreControllers(api.client, ac.signal, { log: silentLogger }), startComputeControllers(api.client, ac.signal, { log: silentLogger })];
  });
  after(async () => {
    ac.abort();
    await Promise.all(runs);
    await api.close();
  });

  it('creates namespace project-<name> owned by the project, and deletes it with everything in it', async () => {
    const projects = api.client.resource(PROJECTS);
    const namespaces = api.client.resource(NAMESPACE_RESOURCE);
    const p = await projects.create(undefined, { apiVersion: 'resourcemanager.miloapis.com/v1alpha1', kind: 'Project', metadata: { name: 'myproject' } });
    await eventually(async () => (await namespaces.get(undefined, 'project-myproject')) !== undefined, 'namespace');
    const ns = (await namespaces.get(undefined, 'project-myproject'))!;
    assert.deepEqual(ns.metadata.ownerReferences, [{ apiVersion: 'resourcemanager.miloapis.com/v1alpha1', kind: 'Project', name: 'myproject', uid: p.metadata.uid, controller: true }]);
    assert.equal(ns.metadata.labels?.[PROJECT_LABEL], 'myproject');
    await eventually(async () => {
      const st = (await projects.get(undefined, 'myproject'))?.status as { phase?: string; namespace?: string; conditions?: { type: string; status: string }[] };
      return st?.phase === 'Active' && st.namespace === 'project-myproject' && st.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
    }, 'project status');
    assert.deepEqual((await projects.get(undefined, 'myproject'))!.metadata.finalizers, [PROJECT_FINALIZER]);
    await api.client.resource(CONFIGMAPS).create('project-myproject', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: 'b' } });

    const phases: string[] = [];
    const watch = new AbortController();
    const inf = new Informer(projects, { log: silentLogger });
    inf.addHandler({ onUpdate: (_o, n) => void phases.push(String((n.status as { phase?: string })?.phase)) });
    const run = inf.start(watch.signal);
    await inf.waitForSync();
    await projects.delete(undefined, 'myproject');
    await eventually(async () => (await projects.get(undefined, 'myproject')) === undefined, 'project gone', 20_000);
    watch.abort();
    await run;
    assert.equal(await namespaces.get(undefined, 'project-myproject'), undefined);
    assert.equal(await api.client.resource(CONFIGMAPS).get('project-myproject', 'settings'), undefined);
    assert.ok(phases.includes('Terminating'), `phases: ${phases.join(',')}`);
  });
});
