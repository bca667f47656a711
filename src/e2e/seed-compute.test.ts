// Seed 003 end to end: a reader of the compute.miloapis.com Workload page
// pastes its examples and kubectl commands into a shell against `workplane
// serve`, and each does what the page (and /work/shared/specs/compute.md)
// promises. kuma.io is switched off so the bare `workloads` the page uses
// means compute.miloapis.com; a default server is checked for the explicit
// `workloads.compute.miloapis.com` form.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess } from '../testing/server-process.js';
import { API_SERVER, APP_WITH_SIDECAR, WEB_APP, seedText } from './seed-support/seed-examples.js';
import { eventually, runWorkplane, startKubectl, type OutputProcess } from './seed-support/processes.js';

const NS = 'project-myproject';
const PROJECT = `apiVersion: resourcemanager.miloapis.com/v1alpha1
kind: Project
metadata:
  name: myproject
`;
const NETWORK = `apiVersion: networking.miloapis.com/v1alpha1
kind: Network
metadata: {name: prod-network, namespace: ${NS}}
spec: {ipam: {cidr: 10.200.0.0/24}}
`;
const QUOTA = `apiVersion: v1
kind: ResourceQuota
metadata: {name: pod-limit, namespace: ${NS}}
spec: {hard: {pods: "4"}}
`;

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface PodView {
  metadata: { name: string; ownerReferences?: { kind: string; name: string }[] };
  spec: { nodeName?: string; containers: { name: string; image: string }[] };
  status: { phase?: string; podIP?: string; containerStatuses?: { ready: boolean; state: { waiting?: { reason: string; message?: string } } }[] };
}

const cond = (conds: Condition[] | undefined, type: string) => conds?.find((c) => c.type === type);

describe('seed 003: compute.miloapis.com Workloads with kubectl', () => {
  let server: ServerProcess;
  let k: Kubectl;
  const watches: OutputProcess[] = [];

  const status = async (name: string) => JSON.parse(await k.ok(['get', 'workload', name, '-n', NS, '-o', 'jsonpath={.status}']));
  const pods = async (selector: string): Promise<PodView[]> => JSON.parse(await k.ok(['get', 'pods', '-n', NS, '-l', selector, '-o', 'json'])).items;
  const waitPhase = (name: string, phase: string, timeout = '60s') =>
    k.ok(['wait', `--for=jsonpath={.status.phase}=${phase}`, `workload/${name}`, '-n', NS, `--timeout=${timeout}`]);
  /** Waits until the Workload is Running with `n` ready replicas on its current generation and exactly `n` pods exist. */
  const converged = (name: string, selector: string, n: number) =>
    eventually(async () => {
      const o = JSON.parse(await k.ok(['get', 'workload', name, '-n', NS, '-o', 'json']));
      assert.equal(o.status?.observedGeneration, o.metadata.generation);
      assert.deepEqual([o.status.phase, o.status.replicas, o.status.readyReplicas, o.status.updatedReplicas], ['Running', n, n, n]);
      const ps = await pods(selector);
      assert.equal(ps.length, n, `pods: ${ps.map((p) => p.metadata.name).join(' ')}`);
      assert.ok(ps.every((p) => p.status.phase === 'Running'));
      return ps;
    }, 60_000);

  before(async () => {
    server = await new ServerProcess({ extraArgs: ['--runtime-config', 'kuma.io/v1alpha1=false'] }).start();
    k = new Kubectl(server);
  });

  after(async () => {
    for (const w of watches) await w.stop();
    k?.cleanup();
    await server?.cleanup();
  });

  it('carries the seed examples verbatim', { skip: seedText('003_') === undefined && 'seed file not present' }, () => {
    const seed = seedText('003_')!;
    for (const doc of [WEB_APP, API_SERVER, APP_WITH_SIDECAR]) assert.ok(seed.includes(doc.trimEnd()), doc.slice(0, 120));
  });

  it('serves the compute kinds, and bare `workloads` means compute.miloapis.com with kuma.io off', async () => {
    const res = await k.ok(['api-resources']);
    assert.match(res, /^workloads\s+cwl\s+compute\.miloapis\.com\/v1alpha1\s+true\s+Workload$/m);
    assert.match(res, /^networks\s+net\s+networking\.miloapis\.com\/v1alpha1\s+true\s+Network$/m);
    assert.match(res, /^projects\s+proj\s+resourcemanager\.miloapis\.com\/v1alpha1\s+false\s+Project$/m);
    assert.doesNotMatch(res, /kuma\.io/);
    const r = await k.run(['get', 'workloads', '-n', 'default', '-v=6']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /GET https:\/\/\S+\/apis\/compute\.miloapis\.com\/v1alpha1\/namespaces\/default\/workloads/);
  });

  it('creates Project myproject, which creates namespace project-myproject', async () => {
    assert.match(await k.ok(['apply', '-f', '-'], PROJECT), /project\.resourcemanager\.miloapis\.com\/myproject created/);
    await eventually(async () => assert.equal(await k.ok(['get', 'namespace', NS, '-o', 'jsonpath={.status.phase}']), 'Active'));
  });

  it('refuses a Workload outside a project namespace and a selector that misses the template', async () => {
    const outside = await k.fails(['apply', '-f', '-'], WEB_APP.replace(`namespace: ${NS}`, 'namespace: default'));
    assert.match(outside, /metadata\.namespace/);
    const lines = WEB_APP.split('\n');
    const i = lines.indexOf('      app: web-app'); // the selector's, not the template's
    lines[i] = '      app: other';
    const miss = await k.fails(['apply', '-f', '-'], lines.join('\n').replace('name: web-app\n', 'name: web-miss\n'));
    assert.match(miss, /selector/);
    assert.match(await k.ok(['get', 'workloads', '-n', NS, '-o', 'name']), /^$/);
  });

  it('Basic Web Application: applied verbatim, reaches Running with 3 ready pods it owns', async () => {
    assert.match(await k.ok(['apply', '-f', '-'], WEB_APP), /workload\.compute\.miloapis\.com\/web-app created/);
    assert.match(await waitPhase('web-app', 'Running'), /condition met/);
    const ps = await converged('web-app', 'app=web-app', 3);
    for (const p of ps) {
      assert.deepEqual(p.metadata.ownerReferences?.map((o) => `${o.kind}/${o.name}`), ['Workload/web-app']);
      assert.ok(p.spec.nodeName, `${p.metadata.name} is bound`);
      assert.equal(p.spec.containers[0].image, 'nginx:1.25');
    }
    const s = await status('web-app');
    assert.equal(s.readyReplicas, 3);
    assert.equal(s.availableReplicas, 3);
    assert.equal(s.selector, 'app=web-app');
    assert.equal(cond(s.conditions, 'Available')?.status, 'True');
  });

  it('lists and shows it with the seed commands (table, custom columns, yaml, jsonpath, describe)', async () => {
    const table = await k.ok(['get', 'workloads', '-n', NS]);
    assert.match(table, /^NAME\s+REPLICAS\s+READY\s+AVAILABLE\s+PHASE\s+AGE$/m);
    assert.match(table, /^web-app\s+3\s+3\s+3\s+Running\s+\S+$/m);
    const cc = await k.ok(['get', 'workloads', '-n', NS, '-o', 'custom-columns=NAME:.metadata.name,REPLICAS:.status.replicas,READY:.status.readyReplicas,PHASE:.status.phase']);
    assert.match(cc, /^NAME\s+REPLICAS\s+READY\s+PHASE$/m);
    assert.match(cc, /^web-app\s+3\s+3\s+Running$/m);
    const y = await k.ok(['get', 'workload', 'web-app', '-n', NS, '-o', 'yaml']);
    assert.match(y, /^apiVersion: compute\.miloapis\.com\/v1alpha1$/m);
    assert.match(y, /^kind: Workload$/m);
    assert.match(y, /^ {2}phase: Running$/m);
    assert.match(y, /image: nginx:1\.25/);
    const s = await status('web-app');
    assert.deepEqual([s.phase, s.replicas, s.readyReplicas], ['Running', 3, 3]);
    const d = await k.ok(['describe', 'workload', 'web-app', '-n', NS]);
    assert.match(d, /^Name:\s+web-app$/m);
    assert.match(d, /^Events:/m);
    assert.match(d, /Normal\s+SuccessfulCreate\s+.*Created pod: web-app-/);
    // the other spellings reach the same object
    for (const r of ['workloads.compute.miloapis.com', 'workload.compute.miloapis.com/web-app', 'cwl/web-app'])
      assert.match(await k.ok(['get', r, '-n', NS, '-o', 'name']), /^workload\.compute\.miloapis\.com\/web-app$/m);
  });

  it('scales through the scale subresource to 5', async () => {
    assert.match(await k.ok(['scale', 'workload', 'web-app', '-n', NS, '--replicas=5']), /workload\.compute\.miloapis\.com\/web-app scaled/);
    await converged('web-app', 'app=web-app', 5);
    const d = await k.ok(['describe', 'workload', 'web-app', '-n', NS]);
    assert.match(d, /Scaled up to 5 from 3/);
  });

  it("patch: the seed's command (kubectl's default strategic merge) and --type merge both work", async () => {
    // Workplane serves the kind itself (not as a CRD), so the seed's plain `kubectl patch -p` works.
    assert.match(await k.ok(['patch', 'workload', 'web-app', '-n', NS, '-p', '{"spec":{"replicas":3}}']), /web-app patched/);
    assert.equal(await k.ok(['get', 'workload', 'web-app', '-n', NS, '-o', 'jsonpath={.spec.replicas}']), '3');
    assert.match(await k.ok(['patch', 'workload', 'web-app', '-n', NS, '--type', 'merge', '-p', '{"spec":{"replicas":2}}']), /web-app patched/);
    await converged('web-app', 'app=web-app', 2);
  });

  it('kubectl set image does not know the kind; `workplane set image` rolls the pods to nginx:1.26', async () => {
    const refused = await k.fails(['set', 'image', 'workload/web-app', '-n', NS, 'nginx=nginx:1.26']);
    assert.match(refused, /Workload/);
    const before = new Set((await pods('app=web-app')).map((p) => p.metadata.name));
    const r = await runWorkplane(server, ['set', 'image', 'workload/web-app', '-n', NS, 'nginx=nginx:1.26']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /workload\.compute\.miloapis\.com\/web-app image updated/);
    const ps = await eventually(async () => {
      const ps = await converged('web-app', 'app=web-app', 2);
      assert.deepEqual(ps.map((p) => p.spec.containers[0].image), ['nginx:1.26', 'nginx:1.26']);
      return ps;
    }, 60_000);
    for (const p of ps) assert.ok(!before.has(p.metadata.name), `${p.metadata.name} was replaced`);
    const s = await status('web-app');
    assert.equal(s.updatedReplicas, 2);
    assert.equal(cond(s.conditions, 'Available')?.status, 'True');
    assert.equal(await k.ok(['get', 'workload', 'web-app', '-n', NS, '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'nginx:1.26');
  });

  it('`kubectl get workload web-app --watch` prints the updates', async () => {
    const w = startKubectl(server, k, ['get', 'workload', 'web-app', '-n', NS, '--watch', '--request-timeout=60s']);
    watches.push(w);
    await w.waitFor(/^web-app\s+2\s+2\s+2\s+Running/m);
    await k.ok(['scale', 'workload', 'web-app', '-n', NS, '--replicas=3']);
    await w.waitFor(/^web-app\s+3\s+3\s+3\s+Running/m, 60_000);
    await w.stop();
    assert.match(w.output, /^NAME\s+REPLICAS\s+READY\s+AVAILABLE\s+PHASE\s+AGE$/m);
    assert.ok(w.output.trim().split('\n').length >= 3, w.output);
  });

  it('troubleshooting: pods by label and their logs', async () => {
    const table = await k.ok(['get', 'pods', '-n', NS, '-l', 'app=web-app']);
    assert.match(table, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
    const rows = table.trim().split('\n').slice(1);
    assert.equal(rows.length, 3, table);
    for (const row of rows) assert.match(row, /^web-app-\S+\s+1\/1\s+Running\s+0\s+/);
    const name = rows[0].split(/\s+/)[0];
    const logs = await k.ok(['logs', '-n', NS, name]);
    assert.match(logs, /nginx/);
  });

  // kubectl sends ResourceQuota as protobuf on `create quota` (and does not retry with JSON).
  it('kubectl create quota works', async () => {
    await k.ok(['create', 'quota', 'roomy', '-n', NS, '--hard=pods=100']);
    await k.ok(['delete', 'resourcequota', 'roomy', '-n', NS]);
  });

  it('ResourceQuota: listed by the seed command; scaling past it fails with FailedCreate', async () => {
    assert.match(await k.ok(['apply', '-f', '-'], QUOTA), /resourcequota\/pod-limit created/);
    await eventually(async () => assert.match(await k.ok(['get', 'resourcequota', '-n', NS]), /^pod-limit\s+\S+\s+pods: 3\/4/m));
    await k.ok(['scale', 'workload', 'web-app', '-n', NS, '--replicas=6']);
    const s = await eventually(async () => {
      const s = await status('web-app');
      assert.equal(cond(s.conditions, 'ReplicaFailure')?.reason, 'FailedCreate');
      return s;
    });
    assert.equal(cond(s.conditions, 'ReplicaFailure')?.status, 'True');
    assert.match(cond(s.conditions, 'ReplicaFailure')!.message!, /exceeded quota: pod-limit, requested: pods=1, used: pods=4, limited: pods=4/);
    await eventually(async () => assert.equal((await pods('app=web-app')).length, 4));
    await eventually(async () => assert.equal((await status('web-app')).phase, 'Failed'));
    assert.match(await k.ok(['get', 'resourcequota', '-n', NS]), /pods: 4\/4/);
    assert.match(await k.ok(['describe', 'workload', 'web-app', '-n', NS]), /Warning\s+FailedCreate\s+.*exceeded quota: pod-limit/);
    // lifting the quota lets it finish, and the failure clears
    await k.ok(['delete', 'resourcequota', 'pod-limit', '-n', NS]);
    await converged('web-app', 'app=web-app', 6);
    await eventually(async () => assert.equal(cond((await status('web-app')).conditions, 'ReplicaFailure'), undefined));
    await k.ok(['scale', 'workload', 'web-app', '-n', NS, '--replicas=2']);
    await converged('web-app', 'app=web-app', 2);
  });

  it('Workload with Network Reference: Pending on the missing network, then waits on the Secret, then Running', async () => {
    const sel = 'compute.miloapis.com/workload=api-server';
    assert.match(await k.ok(['apply', '-f', '-'], API_SERVER), /workload\.compute\.miloapis\.com\/api-server created/);
    const s = await eventually(async () => {
      const s = await status('api-server');
      assert.equal(cond(s.conditions, 'Progressing')?.reason, 'NetworkNotFound');
      return s;
    });
    assert.equal(s.phase, 'Pending');
    assert.equal(cond(s.conditions, 'Progressing')?.message, 'Unable to find network: prod-network');
    assert.equal((await pods(sel)).length, 0);

    assert.match(await k.ok(['apply', '-f', '-'], NETWORK), /network\.networking\.miloapis\.com\/prod-network created/);
    const waiting = await eventually(async () => {
      const ps = await pods(sel);
      assert.equal(ps.length, 2);
      for (const p of ps) assert.equal(p.status.containerStatuses?.[0]?.state.waiting?.reason, 'CreateContainerConfigError');
      return ps;
    });
    for (const p of waiting) {
      assert.equal(p.status.containerStatuses![0].state.waiting!.message, 'secret "db-credentials" not found');
      assert.match(p.status.podIP ?? '', /^10\.200\.0\.\d+$/, 'pod address from the Network CIDR');
    }
    assert.equal(new Set(waiting.map((p) => p.status.podIP)).size, 2);
    assert.match(await k.ok(['get', 'pods', '-n', NS, '-l', sel]), /CreateContainerConfigError/);
    assert.notEqual((await status('api-server')).phase, 'Running');

    await k.ok(['create', 'secret', 'generic', 'db-credentials', '-n', NS, '--from-literal=url=postgres://db.internal:5432/app']);
    assert.match(await waitPhase('api-server', 'Running'), /condition met/);
    await converged('api-server', sel, 2);
    assert.match(await k.ok(['get', 'workloads', '-n', NS, '-o', 'wide']), /^api-server\s+2\s+2\s+2\s+Running\s+\S+\s+myregistry\/api:v1\.0\s+prod-network$/m);
    assert.equal(await k.ok(['get', 'network', 'prod-network', '-n', NS, '-o', 'jsonpath={.status.allocated}']), '2');
  });

  it('Multi-Container Workload: both containers run, the emptyDir volume is kept', async () => {
    assert.match(await k.ok(['apply', '-f', '-'], APP_WITH_SIDECAR), /workload\.compute\.miloapis\.com\/app-with-sidecar created/);
    await waitPhase('app-with-sidecar', 'Running');
    const [p] = await converged('app-with-sidecar', 'compute.miloapis.com/workload=app-with-sidecar', 1);
    assert.deepEqual(p.spec.containers.map((c) => `${c.name}=${c.image}`), ['app=myapp:latest', 'log-collector=fluent/fluent-bit:latest']);
    assert.match(await k.ok(['get', 'pod', p.metadata.name, '-n', NS]), /\s2\/2\s+Running\s/);
    assert.equal(await k.ok(['get', 'pod', p.metadata.name, '-n', NS, '-o', 'jsonpath={.spec.volumes[0].name}']), 'logs');
    assert.match(await k.ok(['logs', '-n', NS, p.metadata.name, '-c', 'log-collector']), /log-collector/);
  });

  it('kubectl delete workload web-app: Deleting while its pods go, then it and its pods are gone', async () => {
    const w = startKubectl(server, k, ['get', 'workload', 'web-app', '-n', NS, '--watch', '-o', 'jsonpath={.status.phase}{"\\n"}', '--request-timeout=60s']);
    watches.push(w);
    await w.waitFor(/^Running$/m);
    assert.match(await k.ok(['delete', 'workload', 'web-app', '-n', NS, '--timeout=60s']), /workload\.compute\.miloapis\.com "web-app" deleted/);
    await w.waitFor(/^Deleting$/m, 10_000);
    await w.stop();
    await eventually(async () => assert.equal((await pods('app=web-app')).length, 0));
    assert.match((await k.run(['get', 'workload', 'web-app', '-n', NS])).stderr, /NotFound|not found/);
    // the other workloads are untouched
    assert.match(await k.ok(['get', 'workloads', '-n', NS, '-o', 'name']), /api-server\n.*app-with-sidecar/);
  });

  it('deleting the Project removes its namespace and everything in it', async () => {
    await k.ok(['delete', 'project', 'myproject', '--wait=false']);
    await eventually(async () => assert.match((await k.run(['get', 'namespace', NS])).stderr, /NotFound|not found/), 90_000, 500);
    assert.match(await k.ok(['get', 'workloads', '-A', '-o', 'name']), /^$/);
  });
});

describe('seed 003 on a default server (kuma.io on)', () => {
  let server: ServerProcess;
  let k: Kubectl;

  before(async () => {
    // No nodes: only API resolution is checked here.
    server = await new ServerProcess({ storage: 'memory', extraArgs: ['--agent-nodes', '0'] }).start();
    k = new Kubectl(server);
  });

  after(async () => {
    k?.cleanup();
    await server?.cleanup();
  });

  it('the explicit workloads.compute.miloapis.com form works; bare `workloads` is kuma.io there', async () => {
    await k.ok(['apply', '-f', '-'], PROJECT);
    await eventually(async () => assert.equal(await k.ok(['get', 'namespace', NS, '-o', 'jsonpath={.status.phase}']), 'Active'));
    assert.match(await k.ok(['apply', '-f', '-'], WEB_APP), /workload\.compute\.miloapis\.com\/web-app created/);
    const table = await k.ok(['get', 'workloads.compute.miloapis.com', '-n', NS]);
    assert.match(table, /^NAME\s+REPLICAS\s+READY\s+AVAILABLE\s+PHASE\s+AGE$/m);
    assert.match(table, /^web-app\s+3\s+/m);
    await eventually(async () => assert.equal(await k.ok(['get', 'workloads.compute.miloapis.com', 'web-app', '-n', NS, '-o', 'jsonpath={.status.phase}']), 'Pending'));
    const r = await k.run(['get', 'workloads', '-n', NS, '-v=6']);
    assert.match(r.stderr, /\/apis\/kuma\.io\/v1alpha1\/namespaces\/project-myproject\/workloads/);
    assert.doesNotMatch(r.stdout, /web-app/);
  });
});
