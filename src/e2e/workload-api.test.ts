// Seed 003's kubectl commands typed as a Datum user types them, with the
// bare `workloads`, against `workplane serve` with every API group on:
// with `--workload-api compute` they reach compute.miloapis.com; with the
// default (kuma.io) they list nothing, and kubectl prints the server's
// `Warning:` naming the Workloads left out and how to reach them.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually } from './seed-support/processes.js';
import { APP_WITH_SIDECAR, WEB_APP } from './seed-support/seed-examples.js';

const NS = 'project-myproject';
const PROJECT = `apiVersion: resourcemanager.miloapis.com/v1alpha1
kind: Project
metadata:
  name: myproject
`;
const CUSTOM_COLUMNS = 'custom-columns=NAME:.metadata.name,REPLICAS:.status.replicas,READY:.status.readyReplicas,PHASE:.status.phase';
const WAIT = '--timeout=60s';

async function createProject(k: Kubectl): Promise<void> {
  await k.ok(['apply', '-f', '-'], PROJECT);
  await eventually(async () => assert.equal(await k.ok(['get', 'namespace', NS, '-o', 'jsonpath={.status.phase}']), 'Active'));
}

describe('--workload-api compute: the seed 003 commands, verbatim, with kuma.io served too', { timeout: 240_000 }, () => {
  let server: ServerProcess;
  let k: Kubectl;

  before(async () => {
    server = await new ServerProcess({ storage: 'memory', extraArgs: ['--workload-api', 'compute'] }).start();
    k = new Kubectl(server);
  });
  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  it('discovery serves compute.miloapis.com Workloads first; the short names keep their groups', async () => {
    const res = await k.ok(['api-resources']);
    const rows = res.split('\n').filter((l) => /^workloads\s/.test(l));
    assert.deepEqual(rows.map((l) => l.split(/\s+/).slice(1, 3)), [
      ['cwl', 'compute.miloapis.com/v1alpha1'],
      ['wl', 'kuma.io/v1alpha1'],
      ['swl', 'scheduling.k8s.io/v1alpha1'],
    ]);
    const r = await k.run(['get', 'workloads', '-n', 'default', '-v=6']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /GET https:\/\/\S+\/apis\/compute\.miloapis\.com\/v1alpha1\/namespaces\/default\/workloads/);
  });

  it('kubectl apply, get workloads (table, custom columns), get workload -o yaml / jsonpath, describe', async () => {
    await createProject(k);
    assert.match(await k.ok(['apply', '-f', '-'], WEB_APP), /workload\.compute\.miloapis\.com\/web-app created/);
    await k.ok(['wait', '--for=jsonpath={.status.phase}=Running', 'workload/web-app', '-n', NS, WAIT]);
    assert.match(await k.ok(['get', 'workloads', '-n', NS]), /^web-app\s+3\s+\d\s+\d\s+\w+\s+\S+$/m);
    await eventually(async () => assert.match(await k.ok(['get', 'workloads', '-n', NS, '-o', CUSTOM_COLUMNS]), /^web-app\s+3\s+3\s+Running$/m));
    assert.match(await k.ok(['get', 'workload', 'web-app', '-n', NS, '-o', 'yaml']), /^apiVersion: compute\.miloapis\.com\/v1alpha1$/m);
    assert.equal(JSON.parse(await k.ok(['get', 'workload', 'web-app', '-n', NS, '-o', 'jsonpath={.status}'])).phase, 'Running');
    assert.match(await k.ok(['describe', 'workload', 'web-app', '-n', NS]), /^Name:\s+web-app$/m);
    // The kuma.io Workloads are still one short name away.
    const wl = await k.run(['get', 'wl', '-n', NS]);
    assert.equal(wl.code, 0, wl.stderr);
    assert.match(wl.stderr, /No resources found in project-myproject namespace/);
  });

  it('kubectl scale workload and kubectl patch workload (the seed commands)', async () => {
    assert.match(await k.ok(['scale', 'workload', 'web-app', '-n', NS, '--replicas=5']), /workload\.compute\.miloapis\.com\/web-app scaled/);
    await eventually(async () => assert.equal(await k.ok(['get', 'workload', 'web-app', '-n', NS, '-o', 'jsonpath={.status.replicas}']), '5'), 60_000);
    assert.match(await k.ok(['patch', 'workload', 'web-app', '-n', NS, '-p', '{"spec":{"replicas":5}}']), /workload\.compute\.miloapis\.com\/web-app (patched|patched \(no change\))/);
  });

  it('warns about kuma.io Workloads in the namespace, which the bare name no longer shows', async () => {
    // Meshing the project's pods makes the control plane generate a kuma.io Workload there.
    await k.ok(['label', 'namespace', NS, 'kuma.io/sidecar-injection=enabled']);
    await k.ok(['delete', 'pods', '-n', NS, '-l', 'app=web-app', '--wait=false']); // recreated, now meshed
    await eventually(async () => assert.notEqual(await k.ok(['get', 'wl', '-n', NS, '-o', 'name']), ''), 60_000);
    const r = await k.run(['get', 'workloads', '-n', NS]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^web-app\s/m);
    assert.match(r.stderr, /^Warning: 1 kuma\.io Workload in namespace "project-myproject" is not shown; use workloads\.kuma\.io \(or wl\)$/m);
    const wl = await k.run(['get', 'wl', '-n', NS]);
    assert.equal(wl.code, 0, wl.stderr);
    assert.equal(wl.stderr, '', 'kuma.io is not what the bare name means here: its requests carry no warning');
    assert.match(wl.stdout, /^default\s+default\s+\S+$/m, 'the generated kuma.io Workload (named after the pods\' ServiceAccount)');
  });

  it('kubectl delete workload', async () => {
    assert.match(await k.ok(['delete', 'workload', 'web-app', '-n', NS]), /workload\.compute\.miloapis\.com "web-app" deleted/);
  });
});

describe('default --workload-api (kuma): a Datum user is told where the compute Workloads are', { timeout: 180_000 }, () => {
  let server: ServerProcess;
  let k: Kubectl;

  before(async () => {
    server = await new ServerProcess({ storage: 'memory', extraArgs: ['--agent-nodes', '0'] }).start();
    k = new Kubectl(server);
    await createProject(k);
    await k.ok(['apply', '-f', '-'], `${WEB_APP}---\n${APP_WITH_SIDECAR}`);
  });
  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  it('`kubectl get workloads -n project-myproject` lists no kuma.io Workload and warns about the 2 compute ones', async () => {
    const r = await k.run(['get', 'workloads', '-n', NS]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^Warning: 2 compute\.miloapis\.com Workloads in namespace "project-myproject" are not shown; use workloads\.compute\.miloapis\.com \(or cwl\)$/m);
    assert.match(r.stderr, /No resources found in project-myproject namespace/);
    const all = await k.run(['get', 'workloads', '-A']);
    assert.match(all.stderr, /^Warning: 2 compute\.miloapis\.com Workloads in any namespace are not shown; use workloads\.compute\.miloapis\.com \(or cwl\)$/m);
  });

  it('`kubectl get workload web-app` is NotFound, with a warning naming the compute Workload', async () => {
    const r = await k.run(['get', 'workload', 'web-app', '-n', NS]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^Warning: a compute\.miloapis\.com Workload named "web-app" also exists in namespace "project-myproject"; use workloads\.compute\.miloapis\.com \(or cwl\)$/m);
    assert.match(r.stderr, /NotFound/);
  });

  it('the counts follow deletes, and no warning is left once the namespace has none', async () => {
    await k.ok(['delete', 'cwl', 'app-with-sidecar', '-n', NS]);
    await eventually(async () => assert.match((await k.run(['get', 'workloads', '-n', NS])).stderr, /^Warning: 1 compute\.miloapis\.com Workload in namespace "project-myproject" is not shown;/m));
    await k.ok(['delete', 'cwl', 'web-app', '-n', NS]);
    await eventually(async () => assert.doesNotMatch((await k.run(['get', 'workloads', '-n', NS])).stderr, /Warning/));
  });
});
