// Two `workplane serve` replicas on one 3-member etcd cluster, as an operator
// would run them: one key file, nothing else shared. The first replica's data
// dir served on sqlite before, and the kubeconfig it handed out then keeps
// working on both replicas (its CA and admin token are imported once).
// Tokens and kubeconfigs from one replica work on the other (one CA, one
// signing key, one admin token); each replica's in-process node has its own
// name; losing etcd's leader goes unnoticed; and when the leading replica is
// killed -9, the other serves on, takes the lease and reconciles what is
// created afterwards.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultReplicaName } from '../controlplane/replica-name.js';
import { startEtcdCluster, type EtcdCluster } from '../testing/etcd-server.js';
import { Kubectl, ServerProcess, writeSecretsKeyFile } from '../testing/server-process.js';
import { eventually } from './seed-support/processes.js';
import { KubeHttp } from './support/kube-http.js';

const LEASE = ['get', 'lease', 'workplane-controller-manager', '-n', 'kube-system', '-o', 'jsonpath={.spec.holderIdentity}'];

const NS = 'project-failover';
const PROJECT = `apiVersion: resourcemanager.miloapis.com/v1alpha1
kind: Project
metadata: {name: failover}
`;
const workload = (name: string) => `apiVersion: compute.miloapis.com/v1alpha1
kind: Workload
metadata: {name: ${name}, namespace: ${NS}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
`;

describe('two workplane replicas on a 3-member etcd cluster', () => {
  let etcd: EtcdCluster;
  const dir = mkdtempSync(join(tmpdir(), 'workplane-replicas-'));
  const secretsKeyFile = writeSecretsKeyFile(join(dir, 'secrets.key'));
  const replicas: ServerProcess[] = [];
  const kubectls: Kubectl[] = [];
  /** `a` leads when the test starts; `b` is the other. */
  let a: ServerProcess;
  let b: ServerProcess;
  let kb: Kubectl;
  /** The kubeconfig the first replica's data dir handed out while it served on sqlite. */
  let legacyKubeconfig: string;

  // --dp-port 0: restarts reuse the API port, which would otherwise put the DP server on the fixed 5678.
  const replica = (dataDir?: string) =>
    new ServerProcess({ storage: 'etcd', dataDir, etcdEndpoints: etcd.endpoints, etcdPrefix: '/replicas', secretsKeyFile, extraArgs: ['--agent-nodes', '1', '--dp-port', '0'] });
  const nodeOf = (s: ServerProcess) => `${defaultReplicaName(s.dataDir)}-node-0`;
  const kubectlFor = (s: ServerProcess) => {
    const k = new Kubectl(s);
    kubectls.push(k);
    return k;
  };
  /** A kubectl using `kubeconfig` as written, but dialling `server`. */
  const kubectlVia = (kubeconfig: string, server: ServerProcess, name: string) => {
    const copy = join(dir, name);
    writeFileSync(copy, readFileSync(kubeconfig, 'utf8').replace(/server: https:\/\/\S+/, `server: ${server.url}`), { mode: 0o600 });
    return kubectlFor({ kubeconfig: copy } as ServerProcess);
  };

  before(async () => {
    const legacyDir = mkdtempSync(join(dir, 'legacy-'));
    const legacy = new ServerProcess({ dataDir: legacyDir, extraArgs: ['--agent-nodes', '0'] });
    try {
      await legacy.start();
      legacyKubeconfig = join(dir, 'legacy-kubeconfig');
      writeFileSync(legacyKubeconfig, readFileSync(legacy.kubeconfig, 'utf8'), { mode: 0o600 });
    } finally {
      await legacy.stop();
    }
    etcd = await startEtcdCluster(3);
    const pair = [replica(legacyDir), replica()];
    replicas.push(...pair);
    for (const s of pair) await s.start();
    const k0 = kubectlFor(pair[0]);
    const holder = await eventually(async () => {
      const h = (await k0.ok(LEASE)).trim();
      assert.ok(h, 'a leader holds the lease');
      return h;
    }, 60_000);
    [a, b] = holder.startsWith(`${defaultReplicaName(pair[0].dataDir)}_`) ? pair : [pair[1], pair[0]];
    assert.ok(holder.startsWith(`${defaultReplicaName(a.dataDir)}_`), `holder ${holder}`);
    kb = kubectlFor(b);
  });

  after(async () => {
    for (const k of kubectls) k.cleanup();
    for (const s of replicas) await s.cleanup();
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shares one CA and admin token, written once to both data dirs', () => {
    assert.equal(a.caPem, b.caPem);
    assert.notEqual(a.dataDir, b.dataDir);
    assert.equal(a.adminToken, b.adminToken);
    assert.equal(readFileSync(b.kubeconfig, 'utf8').replace(b.url, a.url), readFileSync(a.kubeconfig, 'utf8'));
  });

  it('keeps the kubeconfig a data dir handed out before it joined etcd working on both replicas', async () => {
    for (const r of replicas) {
      const k = kubectlVia(legacyKubeconfig, r, `legacy-to-${r.port}`);
      assert.match(await k.ok(['get', 'namespaces', '-o', 'name']), /namespace\/kube-system/);
    }
  });

  it("takes A's kubeconfig and ServiceAccount tokens on B", async () => {
    const viaB = kubectlVia(a.kubeconfig, b, 'a-kubeconfig-to-b');
    await viaB.ok(['create', 'namespace', 'tokens']);
    await viaB.ok(['create', 'serviceaccount', 'robot', '-n', 'tokens']);
    const ka = kubectlFor(a);
    const token = (await eventually(() => ka.ok(['create', 'token', 'robot', '-n', 'tokens']))).trim();
    const review = JSON.parse(
      await kb.ok(['create', '--validate=false', '-o', 'json', '-f', '-'], JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } })),
    );
    assert.equal(review.status.authenticated, true, JSON.stringify(review.status));
    assert.equal(review.status.user.username, 'system:serviceaccount:tokens:robot');
    const http = new KubeHttp({ baseUrl: b.url, ca: a.caPem, token, keepAlive: false });
    try {
      const res = await http.send('GET', '/api/v1/namespaces/tokens/serviceaccounts/robot');
      assert.notEqual(res.status, 401, JSON.stringify(res.body));
    } finally {
      http.close();
    }
  });

  it('names each replica\'s in-process node after the replica', async () => {
    const nodes = await eventually(async () => {
      const names = (await kb.ok(['get', 'nodes', '-o', 'name'])).trim().split('\n').sort();
      assert.equal(names.length, 2, names.join(' '));
      return names;
    });
    assert.notEqual(nodeOf(a), nodeOf(b));
    assert.deepEqual(nodes, [nodeOf(a), nodeOf(b)].map((n) => `node/${n}`).sort());
  });

  it('keeps serving on both replicas when the etcd leader is killed', async () => {
    // The leader's loss is the hardest case: every member must first elect another.
    await (await etcd.leader()).kill();
    const ka = kubectlFor(a);
    await eventually(() => ka.ok(['create', 'configmap', 'during-member-loss', '-n', 'tokens', '--from-literal=k=v']), 30_000);
    // B sees A's write through its own etcd watch, which had to move off the dead member if it was on it.
    assert.equal(await eventually(() => kb.ok(['get', 'configmap', 'during-member-loss', '-n', 'tokens', '-o', 'jsonpath={.data.k}']), 30_000), 'v');
    await eventually(() => kb.ok(['create', 'configmap', 'from-b', '-n', 'tokens', '--from-literal=k=b']), 30_000);
    assert.equal(await eventually(() => ka.ok(['get', 'configmap', 'from-b', '-n', 'tokens', '-o', 'jsonpath={.data.k}']), 30_000), 'b');
  });

  it('carries on after the leader is killed -9: B serves, takes the lease, schedules and reconciles', { timeout: 180_000 }, async () => {
    await a.kill9();
    await kb.ok(['get', 'namespaces']);
    const holder = await eventually(async () => {
      const h = (await kb.ok(LEASE)).trim();
      assert.ok(h.startsWith(`${defaultReplicaName(b.dataDir)}_`), `lease still held by ${h}`);
      return h;
    }, 90_000);
    assert.ok(holder);
    // A's node is gone with A: keep new pods off it, as an operator would.
    await kb.ok(['cordon', nodeOf(a)]);
    // The Project controller (leader only) makes the project's namespace.
    await kb.ok(['apply', '-f', '-'], PROJECT);
    await eventually(() => kb.ok(['get', 'namespace', NS]), 60_000);
    await kb.ok(['run', 'solo', '-n', NS, '--image', 'nginx:1.25']);
    await kb.ok(['apply', '-f', '-'], workload('web'));
    const pods = await eventually(async () => {
      const items = JSON.parse(await kb.ok(['get', 'pods', '-n', NS, '-o', 'json'])).items as {
        metadata: { name: string };
        spec: { nodeName?: string };
        status: { phase?: string };
      }[];
      assert.equal(items.length, 3, items.map((p) => p.metadata.name).join(' '));
      for (const p of items) assert.deepEqual([p.spec.nodeName, p.status.phase], [nodeOf(b), 'Running'], p.metadata.name);
      return items;
    }, 60_000);
    assert.ok(pods.some((p) => p.metadata.name === 'solo'));
    const status = await eventually(async () => {
      const s = JSON.parse(await kb.ok(['get', 'workloads.compute.miloapis.com', 'web', '-n', NS, '-o', 'jsonpath={.status}']));
      assert.deepEqual([s.phase, s.readyReplicas], ['Running', 2]);
      return s;
    }, 60_000);
    assert.equal(status.replicas, 2);
  });

  it('lets A rejoin with its node name, CA and admin token unchanged', async () => {
    const before = a.caPem;
    await a.restart();
    assert.equal(a.caPem, before);
    assert.equal(a.adminToken, b.adminToken);
    const names = (await kubectlFor(a).ok(['get', 'nodes', '-o', 'name'])).trim().split('\n').sort();
    assert.deepEqual(names, [nodeOf(a), nodeOf(b)].map((n) => `node/${n}`).sort());
  });
});
