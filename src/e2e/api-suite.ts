// The end-to-end API suite: the real kubectl against a live `workplane serve`
// (a child process), the same for every storage backend.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kubectl, ServerProcess, type ServerProcessOptions } from '../testing/server-process.js';

const widget = (name: string, extra = '') => `apiVersion: example.workplane.dev/v1
kind: Widget
metadata:
  name: ${name}
  namespace: e2e
  labels: {app: demo}
spec:
  replicas: 2
  image: nginx:1.25
${extra}`;

const pod = (name: string, labels = 'app: web') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: e2e
  labels: {${labels}}
spec:
  containers:
  - name: nginx
    image: nginx:1.25
    ports: [{containerPort: 80}]
    env: [{name: A, value: "1"}]
`;

export function runApiSuite(label: string, opts: () => ServerProcessOptions): void {
  describe(`kubectl against workplane (${label})`, () => {
    let server: ServerProcess;
    let k: Kubectl;

    before(async () => {
      const o = opts();
      server = await new ServerProcess({ ...o, extraArgs: ['--runtime-config', 'example.workplane.dev/v1=true', ...(o.extraArgs ?? [])] }).start();
      k = new Kubectl(server);
      await k.ok(['create', 'namespace', 'e2e']);
    });

    after(async () => {
      k?.cleanup();
      await server?.cleanup();
    });

    it('serves discovery: api-resources lists core and test kinds', async () => {
      const out = await k.ok(['api-resources']);
      assert.match(out, /^pods\s+po\s+v1\s+true\s+Pod$/m);
      assert.match(out, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
      assert.match(out, /^widgets\s+wdg\s+example\.workplane\.dev\/v1\s+true\s+Widget$/m);
      assert.match(out, /leases\s+coordination\.k8s\.io\/v1\s+true\s+Lease/);
    });

    it('has the default namespaces and service accounts', async () => {
      const out = await k.ok(['get', 'namespaces']);
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'e2e']) assert.match(out, new RegExp(`^${ns}\\s+Active\\s+`, 'm'));
      const sa = await waitFor(() => k.ok(['get', 'serviceaccount', 'default', '-n', 'e2e', '-o', 'name']));
      assert.equal(sa.trim(), 'serviceaccount/default');
    });

    it('creates from a file, refuses duplicates, and prints tables', async () => {
      await k.ok(['create', '-f', '-'], widget('w1'));
      const err = await k.fails(['create', '-f', '-'], widget('w1'));
      assert.match(err, /AlreadyExists|already exists/);
      const table = await k.ok(['get', 'widgets', '-n', 'e2e']);
      assert.match(table, /^NAME\s+REPLICAS\s+READY\s+PHASE\s+AGE$/m);
      assert.match(table, /^w1\s+/m);
      const wide = await k.ok(['get', 'widgets', '-n', 'e2e', '-o', 'wide']);
      assert.match(wide, /IMAGE/);
      assert.match(wide, /nginx:1\.25/);
    });

    it('supports -o yaml, json, jsonpath, custom-columns and name', async () => {
      const y = await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'yaml']);
      assert.match(y, /kind: Widget/);
      assert.match(y, /resourceVersion: "\d+"/);
      const j = JSON.parse(await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'json']));
      assert.equal(j.spec.replicas, 2);
      assert.equal(j.spec.size, 'small', 'schema default applied');
      assert.equal(await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'jsonpath={.spec.image}']), 'nginx:1.25');
      const cc = await k.ok(['get', 'widgets', '-n', 'e2e', '-o', 'custom-columns=N:.metadata.name,R:.spec.replicas']);
      assert.match(cc, /^N\s+R$/m);
      assert.match(cc, /^w1\s+2$/m);
      assert.equal((await k.ok(['get', 'widgets', '-n', 'e2e', '-o', 'name'])).trim(), 'widget.example.workplane.dev/w1');
      const empty = JSON.parse(await k.ok(['get', 'configmaps', '-n', 'e2e', '-o', 'json']));
      assert.equal(empty.kind, 'List');
      assert.deepEqual(empty.items, []);
    });

    it('filters with label and field selectors, lists across namespaces, sorts', async () => {
      await k.ok(['create', '-f', '-'], widget('w2').replace('app: demo', 'app: other'));
      assert.equal((await k.ok(['get', 'widgets', '-n', 'e2e', '-l', 'app=demo', '-o', 'name'])).trim(), 'widget.example.workplane.dev/w1');
      assert.equal((await k.ok(['get', 'widgets', '-n', 'e2e', '-l', 'app in (other)', '-o', 'name'])).trim(), 'widget.example.workplane.dev/w2');
      assert.equal((await k.ok(['get', 'widgets', '-n', 'e2e', '-l', '!app', '-o', 'name'])).trim(), '');
      assert.equal((await k.ok(['get', 'widgets', '-n', 'e2e', '--field-selector', 'metadata.name=w2', '-o', 'name'])).trim(), 'widget.example.workplane.dev/w2');
      const all = await k.ok(['get', 'widgets', '-A']);
      assert.match(all, /^NAMESPACE\s+NAME/m);
      assert.match(all, /^e2e\s+w1\s+/m);
      const sorted = await k.ok(['get', 'widgets', '-n', 'e2e', '--sort-by', '.metadata.name', '-o', 'name']);
      assert.deepEqual(sorted.trim().split('\n'), ['widget.example.workplane.dev/w1', 'widget.example.workplane.dev/w2']);
      const bad = await k.fails(['get', 'widgets', '-n', 'e2e', '--field-selector', 'spec.nope=1']);
      assert.match(bad, /field label not supported: spec\.nope/);
    });

    it('applies client-side (create, update, unchanged) and server-side with conflicts', async () => {
      const doc = widget('applied');
      assert.match(await k.ok(['apply', '-f', '-'], doc), /created/);
      assert.match(await k.ok(['apply', '-f', '-'], doc), /unchanged/);
      assert.match(await k.ok(['apply', '-f', '-'], doc.replace('replicas: 2', 'replicas: 3')), /configured/);
      assert.equal(await k.ok(['get', 'widget', 'applied', '-n', 'e2e', '-o', 'jsonpath={.spec.replicas}']), '3');
      const ssa = widget('ssa');
      assert.match(await k.ok(['apply', '--server-side', '-f', '-'], ssa), /serverside-applied/);
      await k.ok(['scale', 'widget', 'ssa', '-n', 'e2e', '--replicas', '5']);
      const conflict = await k.fails(['apply', '--server-side', '-f', '-'], ssa);
      assert.match(conflict, /conflict/i);
      assert.match(conflict, /\.spec\.replicas/);
      await k.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], ssa);
      assert.equal(await k.ok(['get', 'widget', 'ssa', '-n', 'e2e', '-o', 'jsonpath={.spec.replicas}']), '2');
    });

    it('replaces, and refuses a stale resourceVersion with 409', async () => {
      const j = JSON.parse(await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'json']));
      j.spec.image = 'nginx:1.27';
      await k.ok(['replace', '-f', '-'], JSON.stringify(j));
      const err = await k.fails(['replace', '-f', '-'], JSON.stringify(j));
      assert.match(err, /the object has been modified; please apply your changes to the latest version and try again/);
    });

    it('patches: merge, json, strategic on a pod; 415 for strategic on custom kinds', async () => {
      await k.ok(['patch', 'widget', 'w1', '-n', 'e2e', '--type', 'merge', '-p', '{"spec":{"replicas":4}}']);
      await k.ok(['patch', 'widget', 'w1', '-n', 'e2e', '--type', 'json', '-p', '[{"op":"replace","path":"/spec/image","value":"busybox"}]']);
      const w = JSON.parse(await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'json']));
      assert.equal(w.spec.replicas, 4);
      assert.equal(w.spec.image, 'busybox');
      const unchanged = await k.ok(['patch', 'widget', 'w1', '-n', 'e2e', '--type', 'merge', '-p', '{"spec":{"replicas":4}}']);
      assert.match(unchanged, /no change/);
      const smp = await k.fails(['patch', 'widget', 'w1', '-n', 'e2e', '-p', '{"spec":{"replicas":1}}']);
      assert.match(smp, /UnsupportedMediaType|unknown format|not supported/i);
      const badJson = await k.fails(['patch', 'widget', 'w1', '-n', 'e2e', '--type', 'json', '-p', '[{"op":"test","path":"/spec/image","value":"nope"}]']);
      assert.ok(badJson.length > 0);
      await k.ok(['create', '-f', '-'], pod('p1'));
      await k.ok(['patch', 'pod', 'p1', '-n', 'e2e', '-p', '{"spec":{"containers":[{"name":"nginx","image":"nginx:1.26"}]}}']);
      const p = JSON.parse(await k.ok(['get', 'pod', 'p1', '-n', 'e2e', '-o', 'json']));
      assert.equal(p.spec.containers[0].image, 'nginx:1.26');
      assert.deepEqual(p.spec.containers[0].env, [{ name: 'A', value: '1' }], 'strategic merge keeps other container fields');
    });

    it('labels, annotates and scales', async () => {
      await k.ok(['label', 'widget', 'w1', '-n', 'e2e', 'tier=gold']);
      await k.ok(['annotate', 'widget', 'w1', '-n', 'e2e', 'note=hello']);
      const w = JSON.parse(await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'json']));
      assert.equal(w.metadata.labels.tier, 'gold');
      assert.equal(w.metadata.annotations.note, 'hello');
      await k.ok(['label', 'widget', 'w1', '-n', 'e2e', 'tier-']);
      assert.equal(await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'jsonpath={.metadata.labels.tier}']), '');
      await k.ok(['scale', 'widget', 'w1', '-n', 'e2e', '--replicas', '7']);
      assert.equal(await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'jsonpath={.spec.replicas}']), '7');
      const err = await k.fails(['scale', 'widget', 'w1', '-n', 'e2e', '--current-replicas', '3', '--replicas', '1']);
      assert.match(err, /Conflict|modified|expected|precondition/i);
    });

    it('waits for conditions, jsonpath and deletion', async () => {
      const waitCond = k.run(['wait', 'widget/w2', '-n', 'e2e', '--for=condition=Ready', '--timeout=30s']);
      await sleep(300);
      await k.ok(['patch', 'widget', 'w2', '-n', 'e2e', '--subresource', 'status', '--type', 'merge', '-p', '{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True","reason":"Up","message":"ok","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}']);
      assert.equal((await waitCond).code, 0, (await waitCond).stderr);
      const waitPath = k.run(['wait', 'widget/w2', '-n', 'e2e', '--for=jsonpath={.status.phase}=Done', '--timeout=30s']);
      await sleep(300);
      await k.ok(['patch', 'widget', 'w2', '-n', 'e2e', '--subresource', 'status', '--type', 'merge', '-p', '{"status":{"phase":"Done"}}']);
      assert.equal((await waitPath).code, 0, (await waitPath).stderr);
      const waitDel = k.run(['wait', 'widget/w2', '-n', 'e2e', '--for=delete', '--timeout=30s']);
      await sleep(300);
      await k.ok(['delete', 'widget', 'w2', '-n', 'e2e']);
      assert.equal((await waitDel).code, 0, (await waitDel).stderr);
    });

    it('status is written only through /status and spec changes bump generation', async () => {
      const before = JSON.parse(await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'json']));
      await k.ok(['patch', 'widget', 'w1', '-n', 'e2e', '--type', 'merge', '-p', '{"status":{"phase":"Hacked"}}']);
      await k.ok(['patch', 'widget', 'w1', '-n', 'e2e', '--subresource', 'status', '--type', 'merge', '-p', '{"status":{"readyReplicas":1}}']);
      const afterStatus = JSON.parse(await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'json']));
      assert.notEqual(afterStatus.status?.phase, 'Hacked');
      assert.equal(afterStatus.status.readyReplicas, 1);
      assert.equal(afterStatus.metadata.generation, before.metadata.generation);
      await k.ok(['patch', 'widget', 'w1', '-n', 'e2e', '--type', 'merge', '-p', '{"spec":{"replicas":8}}']);
      const afterSpec = JSON.parse(await k.ok(['get', 'widget', 'w1', '-n', 'e2e', '-o', 'json']));
      assert.equal(afterSpec.metadata.generation, before.metadata.generation + 1);
    });

    it('deletes with finalizers (Terminating until removed) and --wait', async () => {
      await k.ok(['create', '-f', '-'], widget('fin').replace('  labels: {app: demo}', '  labels: {app: demo}\n  finalizers: [example.com/hold]'));
      await k.ok(['delete', 'widget', 'fin', '-n', 'e2e', '--wait=false']);
      const held = JSON.parse(await k.ok(['get', 'widget', 'fin', '-n', 'e2e', '-o', 'json']));
      assert.ok(held.metadata.deletionTimestamp);
      // --ignore-not-found: should the finalizer go before this DELETE arrives, the object is already gone.
      const del = k.run(['delete', 'widget', 'fin', '-n', 'e2e', '--wait=true', '--timeout=30s', '--ignore-not-found']);
      await sleep(300);
      await k.ok(['patch', 'widget', 'fin', '-n', 'e2e', '--type', 'json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
      assert.equal((await del).code, 0, (await del).stderr);
      await k.fails(['get', 'widget', 'fin', '-n', 'e2e']);
    });

    it('garbage-collects owned objects (background and foreground)', async () => {
      for (const policy of ['background', 'foreground']) {
        const owner = JSON.parse(await k.ok(['create', '-f', '-', '-o', 'json'], widget(`owner-${policy}`)));
        const cm = {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: `dep-${policy}`, namespace: 'e2e', ownerReferences: [{ apiVersion: 'example.workplane.dev/v1', kind: 'Widget', name: owner.metadata.name, uid: owner.metadata.uid, blockOwnerDeletion: true }] },
          data: { a: 'b' },
        };
        await k.ok(['create', '-f', '-'], JSON.stringify(cm));
        await k.ok(['delete', 'widget', owner.metadata.name, '-n', 'e2e', `--cascade=${policy}`, '--timeout=30s']);
        await waitFor(async () => {
          const r = await k.run(['get', 'configmap', `dep-${policy}`, '-n', 'e2e']);
          if (r.code === 0) throw new Error('dependent still there');
          return r.stderr;
        });
      }
    });

    it('describes with events, and filters events by type', async () => {
      const ev = (name: string, type: string, reason: string) => ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: 'e2e' },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', name: 'p1', namespace: 'e2e' },
        type,
        reason,
        message: `${reason} happened`,
        source: { component: 'e2e-test' },
        firstTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        lastTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        count: 1,
      });
      const uid = (await k.ok(['get', 'pod', 'p1', '-n', 'e2e', '-o', 'jsonpath={.metadata.uid}'])).trim();
      for (const e of [ev('p1.a', 'Normal', 'Scheduled'), ev('p1.b', 'Warning', 'BackOff')]) {
        (e.involvedObject as Record<string, string>).uid = uid;
        await k.ok(['create', '-f', '-'], JSON.stringify(e));
      }
      const d = await k.ok(['describe', 'pod', 'p1', '-n', 'e2e']);
      assert.match(d, /Name:\s+p1/);
      assert.match(d, /Events:/);
      assert.match(d, /Warning\s+BackOff/);
      const warnings = await k.ok(['get', 'events', '-n', 'e2e', '--field-selector', 'type=Warning']);
      assert.match(warnings, /BackOff/);
      assert.doesNotMatch(warnings, /Scheduled/);
      const dw = await k.ok(['describe', 'widget', 'w1', '-n', 'e2e']);
      assert.match(dw, /Name:\s+w1/);
    });

    it('explains kinds from the OpenAPI document', async () => {
      const out = await k.ok(['explain', 'widgets.spec']);
      assert.match(out, /replicas/);
      const pods = await k.ok(['explain', 'pods.spec.containers']);
      assert.match(pods, /image/);
    });

    it('answers auth can-i, creates service accounts and tokens that authenticate', async () => {
      assert.equal((await k.ok(['auth', 'can-i', 'create', 'pods', '-n', 'e2e'])).trim(), 'yes');
      const list = await k.ok(['auth', 'can-i', '--list', '-n', 'e2e']);
      assert.match(list, /\*/);
      await k.ok(['create', 'serviceaccount', 'robot', '-n', 'e2e']);
      const token = (await k.ok(['create', 'token', 'robot', '-n', 'e2e'])).trim();
      assert.match(token, /^eyJ/);
      // The token authenticates; RBAC then refuses the robot until a RoleBinding grants it.
      assert.match(await k.fails(['--token', token, 'get', 'widgets', '-n', 'e2e']), /User "system:serviceaccount:e2e:robot" cannot list resource "widgets"/);
      await k.ok(['create', 'role', 'widget-reader', '--verb=get,list', '--resource=widgets.example.workplane.dev', '-n', 'e2e']);
      await k.ok(['create', 'rolebinding', 'robot-reads-widgets', '--role=widget-reader', '--serviceaccount=e2e:robot', '-n', 'e2e']);
      for (let i = 0; i < 200 && (await k.run(['auth', 'can-i', 'list', 'widgets.example.workplane.dev', '-n', 'e2e', '--as', 'system:serviceaccount:e2e:robot'])).stdout.trim() !== 'yes'; i++) await sleep(50);
      const asRobot = await k.ok(['--token', token, 'get', 'widgets', '-n', 'e2e', '-o', 'name']);
      assert.match(asRobot, /w1/);
      const bad = await k.run(['--token', 'nope', 'get', 'widgets', '-n', 'e2e']);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /Unauthorized|provide credentials/);
    });

    it('streams changes with get -w', async () => {
      const watch = k.run(['get', 'widgets', '-n', 'e2e', '-w', '--request-timeout=5s'], undefined, 15_000);
      await sleep(800);
      await k.ok(['create', '-f', '-'], widget('watched'));
      const r = await watch;
      assert.match(r.stdout, /watched/);
    });

    it('refuses bad input without writing anything', async () => {
      const strict = await k.fails(['create', '-f', '-'], widget('strict', '  bogus: 1'));
      assert.match(strict, /unknown field "spec\.bogus"/);
      const invalid = await k.fails(['create', '-f', '-'], widget('Bad_Name'));
      assert.match(invalid, /Invalid value: "Bad_Name"/);
      const tooMany = await k.fails(['create', '-f', '-'], widget('toomany').replace('replicas: 2', 'replicas: 5000'));
      assert.match(tooMany, /spec\.replicas/);
      await k.fails(['get', 'widget', 'strict', '-n', 'e2e']);
      await k.fails(['get', 'widget', 'toomany', '-n', 'e2e']);
    });

    it('deletes a namespace: Terminating until its contents are gone', async () => {
      await k.ok(['create', 'namespace', 'doomed']);
      await k.ok(['create', 'configmap', 'c1', '-n', 'doomed', '--from-literal=a=b']);
      await k.ok(['delete', 'namespace', 'doomed', '--timeout=60s']);
      const r = await k.run(['get', 'namespace', 'doomed']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /not found/);
      const sys = await k.fails(['delete', 'namespace', 'kube-system', '--wait=false']);
      assert.match(sys, /forbidden/i);
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(200);
    }
  }
}
