// `workplane crds` end to end: a Workplane with the kuma.io, compute /
// networking / resourcemanager.miloapis.com and scheduling.k8s.io groups
// switched off serves nothing of them; `kubectl apply` of the CRDs
// `workplane crds` prints brings them back as custom resources, and the seed
// examples work against them with the real kubectl: apply, get (printer
// columns), describe, explain, scale, and refusals of bad input by the CEL
// rules carried over from the built-in strategies. After a restart the
// built-in controllers find the CRD-served kinds and run against them.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { eventually, runWorkplane } from './seed-support/processes.js';
import { API_SERVER, APP_WITH_SIDECAR, MESH_IDENTITY, MESH_WORKLOAD, TRAINING_JOB_WORKLOAD, WEB_APP, seedText } from './seed-support/seed-examples.js';

const OFF = ['kuma.io', 'compute.miloapis.com', 'networking.miloapis.com', 'resourcemanager.miloapis.com', 'scheduling.k8s.io'].map((g) => `${g}/v1alpha1=false`).join(',');
const NS = 'project-myproject';

describe('workplane crds: the built-in kinds as CRDs, driven by the seed examples', () => {
  let server: ServerProcess;
  let k: Kubectl;
  let crds = '';

  before(async () => {
    server = await new ServerProcess({ extraArgs: ['--runtime-config', OFF] }).start();
    k = new Kubectl(server);
  });

  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  it('with the groups switched off, none of their kinds is served', async () => {
    const res = await k.ok(['api-resources']);
    assert.doesNotMatch(res, /kuma\.io|miloapis\.com|scheduling\.k8s\.io/);
    assert.match(await k.fails(['apply', '-f', '-'], WEB_APP), /no matches for kind "Workload" in version "compute\.miloapis\.com\/v1alpha1"|ensure CRDs are installed first/);
  });

  it('prints one CRD per kind, as YAML kubectl applies', async () => {
    const r = await runWorkplane(server, ['crds']);
    assert.equal(r.code, 0, r.stderr);
    crds = r.stdout;
    const docs = parseAllDocuments(crds).map((d) => d.toJS());
    assert.deepEqual(
      docs.map((d) => d.metadata.name),
      [
        'workloads.kuma.io',
        'meshes.kuma.io',
        'dataplanes.kuma.io',
        'dataplaneinsights.kuma.io',
        'meshidentities.kuma.io',
        'meshtrusts.kuma.io',
        'workloads.compute.miloapis.com',
        'networks.networking.miloapis.com',
        'projects.resourcemanager.miloapis.com',
        'workloads.scheduling.k8s.io',
      ],
    );
    assert.match(crds, /# Checked only when Workplane serves Workload\.compute\.miloapis\.com itself:\n#   - the project namespace/);
    const only = await runWorkplane(server, ['crds', '--group', 'scheduling.k8s.io']);
    assert.equal(parseAllDocuments(only.stdout).length, 1);
    const bad = await runWorkplane(server, ['crds', '--group', 'nope.example.com']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /no kinds in group\(s\) nope\.example\.com/);
  });

  it('kubectl apply installs them; every one becomes Established', async () => {
    const out = await k.ok(['apply', '-f', '-'], crds);
    assert.equal(out.match(/ created$/gm)?.length, 10, out);
    await k.ok(['wait', '--for=condition=Established', '--timeout=60s', 'crd', '--all']);
    const res = await k.ok(['api-resources']);
    assert.match(res, /^workloads\s+cwl\s+compute\.miloapis\.com\/v1alpha1\s+true\s+Workload$/m);
    assert.match(res, /^workloads\s+wl\s+kuma\.io\/v1alpha1\s+true\s+Workload$/m);
    assert.match(res, /^workloads\s+swl\s+scheduling\.k8s\.io\/v1alpha1\s+true\s+Workload$/m);
    assert.match(res, /^projects\s+proj\s+resourcemanager\.miloapis\.com\/v1alpha1\s+false\s+Project$/m);
  });

  it('seed 003: the compute examples apply, list with their columns, describe and explain', async () => {
    await k.ok(['create', 'namespace', NS]);
    for (const doc of [WEB_APP, API_SERVER, APP_WITH_SIDECAR]) assert.match(await k.ok(['apply', '-f', '-'], doc), /workload\.compute\.miloapis\.com\/\S+ created/);
    const table = await k.ok(['get', 'cwl', '-n', NS]);
    assert.match(table, /^NAME\s+REPLICAS\s+READY\s+AVAILABLE\s+PHASE\s+AGE$/m);
    assert.match(table, /^web-app\s+3\s+/m);
    const wide = await k.ok(['get', 'cwl', '-n', NS, '-o', 'wide']);
    assert.match(wide, /^app-with-sidecar\s+1\s+.*myapp:latest,fluent\/fluent-bit:latest/m);
    assert.match(wide, /^api-server\s+2\s+.*myregistry\/api:v1\.0\s+prod-network$/m);
    const d = await k.ok(['describe', 'cwl', 'web-app', '-n', NS]);
    assert.match(d, /^Name:\s+web-app$/m);
    assert.match(d, /Image:\s+nginx:1\.25/);
    const e = await k.ok(['explain', 'workloads.compute.miloapis.com.spec.template.spec.containers.resources']);
    assert.match(e, /limits\s+<map\[string\]/);
    assert.match(await k.ok(['get', 'workload.compute.miloapis.com', 'web-app', '-n', NS, '-o', 'jsonpath={.spec.template.spec.containers[0].resources.limits.memory}']), /^512Mi$/);
  });

  it('seed 003: kubectl scale goes through the scale subresource', async () => {
    assert.match(await k.ok(['scale', 'cwl', 'web-app', '-n', NS, '--replicas=5']), /workload\.compute\.miloapis\.com\/web-app scaled/);
    assert.equal(await k.ok(['get', 'cwl', 'web-app', '-n', NS, '-o', 'jsonpath={.spec.replicas}']), '5');
    assert.match(await k.ok(['patch', 'cwl', 'web-app', '-n', NS, '--type', 'merge', '-p', '{"spec":{"replicas":2}}']), /patched/);
  });

  it('seed 003: bad input is refused by the carried-over rules', async () => {
    const lines = WEB_APP.split('\n');
    lines[lines.indexOf('      app: web-app')] = '      app: other';
    const miss = await k.fails(['apply', '-f', '-'], lines.join('\n').replace('name: web-app\n', 'name: web-miss\n'));
    assert.match(miss, /The Workload "web-miss" is invalid: spec\.template\.metadata\.labels: Invalid value: "object": `selector` does not match template `labels`/);
    assert.match(await k.fails(['patch', 'cwl', 'web-app', '-n', NS, '--type', 'merge', '-p', '{"spec":{"replicas":-1}}']), /spec\.replicas: Invalid value: -1: spec\.replicas in body should be greater than or equal to 0/);
    assert.match(
      await k.fails(['patch', 'cwl', 'web-app', '-n', NS, '--type', 'merge', '-p', '{"spec":{"selector":{"matchLabels":{"app":"web-app","tier":"x"}}}}']),
      /spec\.selector: Invalid value: "object": field is immutable/,
    );
    assert.match(await k.fails(['patch', 'cwl', 'web-app', '-n', NS, '--type', 'merge', '-p', '{"spec":{"template":{"spec":{"restartPolicy":"Never"}}}}']), /spec\.template\.spec\.restartPolicy: Forbidden: supported values: "Always"/);
    assert.match(await k.fails(['apply', '-f', '-'], WEB_APP.replace(/  template:[\s\S]*$/, '').replace('name: web-app\n', 'name: no-template\n')), /spec\.template: Required value/);
  });

  it('seed 004: the scheduling Workload applies and lists its pod groups; bad gangs are refused', async () => {
    await k.ok(['create', 'namespace', 'some-ns']);
    assert.match(await k.ok(['apply', '-f', '-'], TRAINING_JOB_WORKLOAD), /workload\.scheduling\.k8s\.io\/training-job-workload created/);
    assert.match(await k.ok(['get', 'swl', '-n', 'some-ns']), /^training-job-workload\s+workers\s+\d+s$/m);
    const bad = (body: string) => k.fails(['apply', '-f', '-'], body);
    assert.match(await bad(TRAINING_JOB_WORKLOAD.replace('minCount: 4', 'minCount: 0').replace('name: training-job-workload', 'name: zero')), /spec\.podGroups\[0\]\.policy\.gang\.minCount: Invalid value: "object": must be greater than 0/);
    const both = TRAINING_JOB_WORKLOAD.replace('name: training-job-workload', 'name: both').replace('      gang:', '      basic: {}\n      gang:');
    assert.match(await bad(both), /spec\.podGroups\[0\]\.policy: Invalid value: "object": exactly one of `basic`, `gang` is required, but multiple fields are set/);
    const dup = TRAINING_JOB_WORKLOAD.replace('name: training-job-workload', 'name: dup') + '  - name: workers\n    policy: {basic: {}}\n';
    assert.match(await bad(dup), /spec\.podGroups\[1\]: Duplicate value: \{"name":"workers"\}/);
    assert.match(
      await k.fails(['patch', 'swl', 'training-job-workload', '-n', 'some-ns', '--type', 'merge', '-p', '{"spec":{"podGroups":[{"name":"workers","policy":{"gang":{"minCount":8}}}]}}']),
      /spec\.podGroups: Invalid value: "array": field is immutable/,
    );
  });

  it('seeds 000-001: the mesh Workload and MeshIdentity apply and list with their columns', async () => {
    assert.ok(seedText('000_') === undefined || seedText('000_')!.includes(MESH_WORKLOAD.split('status:')[0]!.trimEnd()));
    assert.match(await k.ok(['apply', '-f', '-'], MESH_WORKLOAD), /workload\.kuma\.io\/demo-workload created/);
    assert.match(await k.ok(['get', 'wl', '-n', 'default']), /^NAME\s+MESH\s+AGE\ndemo-workload\s+default\s+\d+s$/m);
    // status is a subresource: the counts are the control plane's to write.
    assert.equal(await k.ok(['get', 'wl', 'demo-workload', '-n', 'default', '-o', 'jsonpath={.status}']), '');
    await k.ok(['create', 'namespace', 'kuma-system']);
    assert.match(await k.ok(['apply', '-f', '-'], MESH_IDENTITY), /meshidentity\.kuma\.io\/workload-identity created/);
    assert.match(await k.ok(['get', 'meshidentities', '-n', 'kuma-system']), /^NAME\s+MESH\s+TRUST DOMAIN\s+READY\s+AGE\nworkload-identity\s+default\s+example\.com\s+\d+s$/m);
    assert.match(await k.ok(['explain', 'meshidentities.spec.provider']), /bundled\s+<Object>/);
  });

  it('after a restart the built-in controllers run against the CRD-served kinds', async () => {
    await server.stop();
    await server.restart();
    assert.match(await k.ok(['apply', '-f', '-'], 'apiVersion: resourcemanager.miloapis.com/v1alpha1\nkind: Project\nmetadata: {name: shop}\n'), /created/);
    await eventually(async () => assert.equal(await k.ok(['get', 'namespace', 'project-shop', '-o', 'jsonpath={.status.phase}']), 'Active'));
    await k.ok(['apply', '-f', '-'], WEB_APP.replace(`namespace: ${NS}`, 'namespace: project-shop'));
    await eventually(async () => {
      assert.equal(await k.ok(['get', 'cwl', 'web-app', '-n', 'project-shop', '-o', 'jsonpath={.status.phase} {.status.readyReplicas}']), 'Running 3');
    }, 60_000);
    assert.match(await k.ok(['get', 'cwl', '-n', 'project-shop']), /^web-app\s+3\s+3\s+3\s+Running\s+\d+s$/m);
  });
});
