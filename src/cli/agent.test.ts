import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../api/object.js';
import { HttpClient } from '../client/http-client.js';
import { eventually } from '../client/testing.js';
import { startControlPlane, type ControlPlane } from '../controlplane/control-plane.js';
import { serveOptions } from '../controlplane/options.js';
import { runAgent } from './agent.js';
import { createBootstrapToken } from './node-token.js';
import type { ApiError } from '../api/errors.js';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const CSRS = { group: 'certificates.k8s.io', version: 'v1', resource: 'certificatesigningrequests' };
type Obj = Record<string, unknown>;
const phase = (p: KObject | undefined) => (p?.status as Obj | undefined)?.phase;
/** What the README tells users to add to a pod meant for process nodes. */
const onProcessNodes = { nodeSelector: { 'workplane.dev/runtime': 'process' }, tolerations: [{ key: 'workplane.dev/runtime', operator: 'Equal', value: 'process', effect: 'NoSchedule' }] };

describe('workplane agent (over HTTPS against a real control plane)', () => {
  let dir: string;
  let cp: ControlPlane;
  let admin: HttpClient;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'workplane-agent-cli-'));
    // Process pods run as nobody: their working directories below must be reachable.
    await chmod(dir, 0o711);
    cp = await startControlPlane(serveOptions({ dataDir: join(dir, 'data'), storage: 'memory', logLevel: 'silent', compactionIntervalSeconds: 300 }));
    admin = await HttpClient.fromKubeconfig(cp.kubeconfigPath);
  });
  after(async () => {
    admin?.close();
    // Let the server see the agents' watch connections close: stopping it with watches
    // still open makes its watch handler write after end (an API server issue, reported).
    await new Promise((r) => setTimeout(r, 300));
    await cp?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A client that authenticates with the certificate the agent stored for `node`. */
  async function nodeClient(node: string): Promise<HttpClient> {
    const pki = join(dir, 'agent-a', 'pki', node);
    return HttpClient.connect({ server: cp.url, caPem: cp.caPem, certPem: await readFile(join(pki, 'client.crt'), 'utf8'), keyPem: await readFile(join(pki, 'client.key'), 'utf8') });
  }

  async function withAgent(args: string[], body: (lines: string[]) => Promise<void>, root = join(dir, 'agent-a')): Promise<void> {
    const ac = new AbortController();
    const lines: string[] = [];
    const done = runAgent(['--kubeconfig', cp.kubeconfigPath, '--root-dir', root, ...args], { signal: ac.signal, out: (l) => lines.push(l) });
    try {
      await Promise.race([eventually(() => lines.some((l) => l.startsWith('agent running')), 'agent running'), done]);
      await body(lines);
    } finally {
      ac.abort();
      assert.equal(await done, 0);
    }
    assert.equal(lines.at(-1), 'agent stopped');
  }

  it('registers simulated nodes, runs their pods, and stops on request', async () => {
    await withAgent(['--nodes', '2', '--name-prefix', 'remote', '--labels', 'zone=z1', '--taints', 'gpu=yes:NoSchedule', '--lease-renew-seconds', '0.2'], async (lines) => {
      assert.deepEqual(lines.slice(0, 2), ['registered node remote-0 (simulated)', 'registered node remote-1 (simulated)']);
      const node = (await admin.resource(NODES).get(undefined, 'remote-1'))!;
      assert.equal(node.metadata.labels!.zone, 'z1');
      assert.deepEqual((node.spec as Obj).taints, [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }]);
      await admin.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sim' }, spec: { nodeName: 'remote-1', containers: [{ name: 'app', image: 'nginx' }] } });
      await eventually(async () => phase(await admin.resource(PODS).get('default', 'sim')) === 'Running', 'simulated pod running');
    });
    await withAgent(['--nodes', '2', '--name-prefix', 'remote'], async (lines) => {
      assert.deepEqual(lines.slice(0, 2), ['re-registered node remote-0 (simulated)', 're-registered node remote-1 (simulated)']);
    });
  });

  it('gives each node its own identity from a CSR and refuses a second agent for a served node', async () => {
    await withAgent(['--nodes', '2', '--name-prefix', 'ident', '--lease-renew-seconds', '0.2'], async () => {
      // Each node asked for a client certificate (approved for the admin bootstrap credential) and got it.
      const csrs = (await admin.resource(CSRS).list(undefined)).items.filter((c) => (c.metadata.name ?? '').startsWith('node-csr-ident-'));
      assert.equal(csrs.length, 2);
      for (const c of csrs) {
        assert.equal((c.spec as Obj).signerName, 'kubernetes.io/kube-apiserver-client-kubelet');
        assert.equal((c.spec as Obj).username, 'admin');
        assert.ok((c.status as Obj).certificate);
      }
      const key = join(dir, 'agent-a', 'pki', 'ident-0', 'client.key');
      assert.equal((await stat(key)).mode & 0o777, 0o600);
      // The Lease says which agent serves the node.
      const lease = (await admin.resource(LEASES).get('kube-node-lease', 'ident-0'))!;
      assert.match(String((lease.spec as Obj).holderIdentity), /^ident-0_[a-f0-9]+$/);

      // A second agent (another root dir: another identity) must not run the same node.
      const lines: string[] = [];
      await assert.rejects(
        runAgent(['--kubeconfig', cp.kubeconfigPath, '--root-dir', join(dir, 'agent-b'), '--nodes', '1', '--name-prefix', 'ident'], { out: (l) => lines.push(l) }),
        /node "ident-0" is served by another agent: Lease kube-node-lease\/ident-0 is held by "ident-0_[a-f0-9]+" and was renewed \d+s ago/,
      );
      assert.ok(!lines.some((l) => l.startsWith('agent running')));

      // As ident-0, the agent can write its own Node but not its neighbour's, nor pods bound elsewhere.
      const asNode = await nodeClient('ident-0');
      try {
        await asNode.resource(NODES).patch(undefined, 'ident-0', 'merge', { metadata: { labels: { mine: 'yes' } } });
        await assert.rejects(asNode.resource(NODES).patch(undefined, 'ident-1', 'merge', { metadata: { labels: { mine: 'no' } } }), (e: ApiError) => {
          assert.equal(e.code, 403);
          assert.match(e.message, /nodes "ident-1" is forbidden: User "system:node:ident-0" cannot patch resource "nodes" in API group "" at the cluster scope/);
          return true;
        });
        await assert.rejects(asNode.resource(NODES).patch(undefined, 'ident-0', 'merge', { metadata: { labels: { 'node-restriction.kubernetes.io/trusted': 'x' } } }), /is not allowed to modify labels: node-restriction.kubernetes.io\/trusted/);
        await assert.rejects(asNode.resource(LEASES).get('kube-node-lease', 'ident-1'), (e: ApiError) => e.code === 403);
        await admin.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'elsewhere' }, spec: { nodeName: 'ident-1', containers: [{ name: 'app', image: 'nginx' }] } });
        const pod = (await admin.resource(PODS).get('default', 'elsewhere'))!;
        // No resourceVersion: ident-1's agent may write the pod meanwhile, which must not turn this into a conflict.
        const unversioned = { ...pod, metadata: { ...pod.metadata, resourceVersion: undefined } };
        await assert.rejects(asNode.resource(PODS).updateStatus('default', { ...unversioned, status: { phase: 'Failed' } }), /node "ident-0" can only update pod status for pods with spec.nodeName set to itself/);
        await assert.rejects(asNode.resource(PODS).delete('default', 'elsewhere'), /node "ident-0" can only delete pods with spec.nodeName set to itself/);
        await assert.rejects(asNode.resource(SECRETS).list('default'), (e: ApiError) => e.code === 403);
      } finally {
        asNode.close();
      }
    });
  });

  it('joins with a bootstrap token (workplane token node), which can do nothing else', async () => {
    const { token } = await createBootstrapToken(admin.transport, 600);
    const asBootstrap = await HttpClient.connect({ server: cp.url, caPem: cp.caPem, token });
    try {
      await assert.rejects(asBootstrap.resource(PODS).list('default'), (e: ApiError) => e.code === 403 && /bootstrap tokens may only request node certificates/.test(e.message));
    } finally {
      asBootstrap.close();
    }
    const caFile = join(dir, 'ca.crt');
    await writeFile(caFile, cp.caPem);
    await withAgent(['--server', cp.url, '--token', token, '--ca-file', caFile, '--name-prefix', 'joined'], async (lines) => {
      assert.equal(lines[0], 'registered node joined-0 (simulated)');
      const csr = (await admin.resource(CSRS).list(undefined)).items.find((c) => (c.metadata.name ?? '').startsWith('node-csr-joined-0-client'))!;
      assert.equal((csr.spec as Obj).username, `system:bootstrap:${token.split('.')[0]}`);
    }, join(dir, 'agent-joined'));
    // Deleting the token's Secret revokes it.
    await admin.resource({ group: '', version: 'v1', resource: 'secrets' }).delete('kube-system', `bootstrap-token-${token.split('.')[0]}`);
    await assert.rejects(HttpClient.connect({ server: cp.url, caPem: cp.caPem, token }), (e: ApiError) => e.code === 401);
  });

  it("an expired bootstrap token's Secret is deleted by the control plane; a live one stays", async () => {
    const secrets = admin.resource({ group: '', version: 'v1', resource: 'secrets' });
    const secretOf = (token: string) => `bootstrap-token-${token.split('.')[0]}`;
    const shortLived = await createBootstrapToken(admin.transport, 1);
    const live = await createBootstrapToken(admin.transport, 600);
    await eventually(async () => !(await secrets.get('kube-system', secretOf(shortLived.token))), 'the expired token Secret to go', 30_000);
    assert.ok(await secrets.get('kube-system', secretOf(live.token)), 'the live token Secret is kept');
    await secrets.delete('kube-system', secretOf(live.token));
  });

  it('runs a process pod and serves its logs to kubectl through the API server', async () => {
    const root = join(dir, 'agent-root');
    await withAgent(['--runtime', 'process', '--name-prefix', 'host', '--log-port', '0'], async (lines) => {
      assert.match(lines.find((l) => l.startsWith('agent running'))!, /logs on 127\.0\.0\.1:\d+/);
      const node = (await admin.resource(NODES).get(undefined, 'host-0'))!;
      const port = (((node.status as Obj).daemonEndpoints as Obj).kubeletEndpoint as Obj).Port as number;
      assert.ok(port > 0);
      // Process nodes run commands, not images: tainted so that only pods meant for them land there.
      assert.deepEqual((node.spec as Obj).taints, [{ key: 'workplane.dev/runtime', value: 'process', effect: 'NoSchedule' }]);
      assert.equal(node.metadata.labels!['workplane.dev/runtime'], 'process');
      const spec = { ...onProcessNodes, containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo "hello from $(POD)"; sleep 30'], env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] };
      await admin.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'proc' }, spec });
      await eventually(async () => phase(await admin.resource(PODS).get('default', 'proc')) === 'Running', 'process pod running');
      assert.equal(((await admin.resource(PODS).get('default', 'proc'))!.spec as Obj).nodeName, 'host-0', 'the scheduler put it on the process node');
      const kubectl = (...a: string[]) => promisify(execFile)(KUBECTL, ['--kubeconfig', cp.kubeconfigPath, '--cache-dir', join(dir, 'kube-cache'), ...a]);
      await eventually(async () => (await kubectl('logs', 'proc').catch(() => ({ stdout: '' }))).stdout === 'hello from proc\n', 'kubectl logs');
      await admin.resource(PODS).delete('default', 'proc', { gracePeriodSeconds: 1 });
      await eventually(async () => (await admin.resource(PODS).get('default', 'proc')) === undefined, 'process pod removed');

      // The agent runs as root here, so its pods run as nobody: no reading the server's data dir or the node's key.
      const key = join(root, 'pki', 'host-0', 'client.key');
      const script = `id -u; cat ${join(dir, 'data', 'admin.token')} 2>&1; cat ${key} 2>&1; sleep 30`;
      await admin.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'who' }, spec: { ...onProcessNodes, terminationGracePeriodSeconds: 1, containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', script] }] } });
      let logs = '';
      await eventually(async () => (logs = (await kubectl('logs', 'who').catch(() => ({ stdout: '' }))).stdout).split('Permission denied').length === 3, 'pod output');
      assert.equal(logs.split('\n')[0], process.getuid?.() === 0 ? '65534' : String(process.getuid?.()));
      assert.doesNotMatch(logs, new RegExp(cp.adminToken));
    }, root);
  });

  it('--taints and --labels replace the process node defaults', async () => {
    await withAgent(['--runtime', 'process', '--name-prefix', 'open', '--log-port', '0', '--taints', '', '--labels', 'workplane.dev/runtime=shell'], async () => {
      const node = (await admin.resource(NODES).get(undefined, 'open-0'))!;
      assert.equal((node.spec as Obj).taints, undefined);
      assert.equal(node.metadata.labels!['workplane.dev/runtime'], 'shell');
      assert.equal(node.metadata.labels!.type, 'process');
    }, join(dir, 'agent-open'));
    await admin.resource(NODES).delete(undefined, 'open-0');
  });
});
