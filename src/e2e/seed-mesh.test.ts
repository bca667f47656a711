// Seeds 000-002 (kuma.io Workload) walked through end to end, as a user
// would: the real kubectl against `workplane serve` in its own process, with
// its three in-process simulated nodes whose agent holds a DP stream per
// meshed pod, and the Universal flow through `workplane token dataplane` and
// `workplane dp run` as child processes. Every wait is bounded.

import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { CLI, Kubectl, ServerProcess } from '../testing/server-process.js';

const NS = 'mesh-demo';
const WAIT = '--timeout=60s';

const demoPod = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${NS}
  annotations:
    kuma.io/workload: demo-workload
spec:
  containers:
  - name: app
    image: demo-app:1.0
    ports:
    - containerPort: 8080
`;

/** The parts of an object these checks read, as kubectl prints it with -o yaml. */
interface Printed {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; ownerReferences?: { kind: string; name: string }[] };
  spec?: unknown;
  status?: { dataplaneProxies?: unknown };
}

const lines = (out: string) => out.trim().split('\n');
const cols = (line: string) => line.trim().split(/\s+/);

describe('seed 000-002: mesh Workloads through kubectl', { timeout: 300_000 }, () => {
  let server: ServerProcess;
  let k: Kubectl;
  let tmp: string;
  const children = new Set<ChildProcess>();
  let inbound: Server | undefined;

  /** `kubectl wait` for a jsonpath value, once the object exists. */
  const waitFor = async (obj: string, ns: string, jsonpath: string, value: string | number) => {
    await k.ok(['wait', '--for=create', obj, '-n', ns, WAIT]);
    await k.ok(['wait', `--for=jsonpath=${jsonpath}=${value}`, obj, '-n', ns, WAIT]);
  };
  const counts = async (name: string) => {
    const wl = parseYaml(await k.ok(['get', 'workload', name, '-n', NS, '-o', 'yaml'])) as Printed;
    return wl.status?.dataplaneProxies;
  };

  /** The CLI with KUBECONFIG pointing at the server; resolves with its stdout. */
  const cli = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [CLI, ...args], { env: { ...process.env, KUBECONFIG: server.kubeconfig }, timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`workplane ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'workplane-seed-mesh-'));
    server = await new ServerProcess({ storage: 'memory' }).start();
    k = new Kubectl(server);
  });

  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    inbound?.close();
    await server?.cleanup();
    k?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('generates a Workload for annotated pods and counts their connected, healthy proxies', async () => {
    await k.ok(['create', 'namespace', NS]);
    await k.ok(['label', 'namespace', NS, 'kuma.io/sidecar-injection=enabled']);
    await k.ok(['apply', '-f', '-'], ['demo-app-0', 'demo-app-1', 'demo-app-2'].map(demoPod).join('---\n'));
    await k.ok(['wait', '--for=condition=Ready', 'pod', '--all', '-n', NS, WAIT]);
    await waitFor('workload/demo-workload', NS, '{.status.dataplaneProxies.connected}', 3);
    await k.ok(['wait', '--for=jsonpath={.status.dataplaneProxies.healthy}=3', 'workload/demo-workload', '-n', NS, WAIT]);

    const table = lines(await k.ok(['get', 'workloads', '-n', NS]));
    assert.deepEqual(cols(table[0]), ['NAME', 'MESH', 'AGE']);
    assert.equal(table.length, 2);
    assert.deepEqual(cols(table[1]).slice(0, 2), ['demo-workload', 'default']);
    assert.match(cols(table[1])[2], /^\d+[smhd]/);

    const wl = parseYaml(await k.ok(['get', 'workload', 'demo-workload', '-n', NS, '-o', 'yaml'])) as Printed;
    assert.equal(wl.apiVersion, 'kuma.io/v1alpha1');
    assert.equal(wl.kind, 'Workload');
    assert.equal(wl.metadata.namespace, NS);
    assert.equal(wl.metadata.labels?.['kuma.io/mesh'], 'default');
    assert.equal(wl.metadata.labels?.['kuma.io/managed-by'], 'k8s-controller');
    assert.deepEqual(wl.spec, {});
    assert.deepEqual(wl.status, { dataplaneProxies: { connected: 3, healthy: 3, total: 3 } });

    const wide = lines(await k.ok(['get', 'workloads', '-n', NS, '-o', 'wide']));
    assert.deepEqual(cols(wide[0]), ['NAME', 'MESH', 'AGE', 'CONNECTED', 'HEALTHY', 'TOTAL']);
    const row = cols(wide[1]);
    assert.deepEqual([row[0], row[1], ...row.slice(3)], ['demo-workload', 'default', '3', '3', '3']);

    // Each pod has its Dataplane, labelled with the workload and owned by the pod.
    const dps = parseYaml(await k.ok(['get', 'dataplanes', '-n', NS, '-o', 'yaml'])) as { items: Printed[] };
    assert.deepEqual(dps.items.map((d) => d.metadata.name).sort(), ['demo-app-0', 'demo-app-1', 'demo-app-2']);
    for (const d of dps.items) {
      assert.equal(d.metadata.labels?.['kuma.io/workload'], 'demo-workload');
      assert.deepEqual(d.metadata.ownerReferences?.map((r) => `${r.kind}/${r.name}`), [`Pod/${d.metadata.name}`]);
    }
  });

  it('lowers the counts when a pod goes away', async () => {
    await k.ok(['delete', 'pod', 'demo-app-0', '-n', NS, WAIT]);
    await k.ok(['wait', '--for=jsonpath={.status.dataplaneProxies.total}=2', 'workload/demo-workload', '-n', NS, WAIT]);
    await k.ok(['wait', '--for=jsonpath={.status.dataplaneProxies.connected}=2', 'workload/demo-workload', '-n', NS, WAIT]);
    assert.deepEqual(await counts('demo-workload'), { connected: 2, healthy: 2, total: 2 });
  });

  it('refuses a kuma.io/workload label on a pod, with the exact message', async () => {
    const pod = demoPod('labelled').replace('  annotations:\n    kuma.io/workload: demo-workload\n', '  labels:\n    kuma.io/workload: demo-workload\n');
    const err = await k.fails(['apply', '-f', '-'], pod);
    assert.match(err, /Forbidden/);
    assert.ok(err.includes('cannot manually set kuma.io/workload label on Pod; it is automatically managed by Kuma'), err);
  });

  it('refuses a Workload created by hand', async () => {
    const err = await k.fails(['apply', '-f', '-'], `apiVersion: kuma.io/v1alpha1\nkind: Workload\nmetadata:\n  name: handmade\n  namespace: ${NS}\nspec: {}\n`);
    assert.match(err, /Forbidden/);
    assert.match(err, /manual creation or modification is not supported/);
    assert.equal((await k.run(['get', 'workload', 'handmade', '-n', NS])).code, 1);
  });

  it('warns and skips generation when one workload spans two meshes', async () => {
    const multi = 'mesh-multi';
    await k.ok(['apply', '-f', '-'], 'apiVersion: kuma.io/v1alpha1\nkind: Mesh\nmetadata:\n  name: other\n');
    await k.ok(['create', 'namespace', multi]);
    await k.ok(['label', 'namespace', multi, 'kuma.io/sidecar-injection=enabled']);
    const pod = (name: string, mesh?: string) =>
      demoPod(name)
        .replace(`namespace: ${NS}`, `namespace: ${multi}`)
        .replace('demo-workload', 'shared')
        .replace('  annotations:', mesh ? `  labels:\n    kuma.io/mesh: ${mesh}\n  annotations:` : '  annotations:');
    await k.ok(['apply', '-f', '-'], [pod('in-default'), pod('in-other', 'other')].join('---\n'));
    await k.ok(['wait', '--for=create', 'dataplane/in-default', 'dataplane/in-other', '-n', multi, WAIT]);
    const message = `Skipping Workload generation: namespace ${multi} has pods in multiple meshes (2 meshes) for workload shared. This configuration is not supported.`;
    let events = '';
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      events = await k.ok(['get', 'events', '-n', multi, '--field-selector', 'type=Warning']);
      if (events.includes('MultipleMeshesDetected')) break;
    }
    assert.match(events, /\bWarning\s+MultipleMeshesDetected\s+namespace\/mesh-multi\b/);
    assert.ok(events.includes(message), events);
  });

  it('counts a proxy registered with `workplane dp run` and sees it disconnect when killed', async () => {
    inbound = createServer((s) => s.destroy());
    await new Promise<void>((r) => inbound!.listen(0, '127.0.0.1', () => r()));
    const port = (inbound.address() as { port: number }).port;
    const token = (await cli(['token', 'dataplane', '--mesh', 'default', '--workload', 'web', '--namespace', NS])).trim();
    assert.ok(token.split('.').length === 3, 'a JWT');
    const tokenFile = join(tmp, 'token');
    const dpFile = join(tmp, 'dp.yaml');
    writeFileSync(tokenFile, token);
    writeFileSync(
      dpFile,
      `apiVersion: kuma.io/v1alpha1\nkind: Dataplane\nmetadata:\n  name: web-01\n  namespace: ${NS}\n  labels:\n    kuma.io/workload: web\n` +
        `spec:\n  networking:\n    address: 127.0.0.1\n    inbound:\n    - port: ${port}\n      tags:\n        kuma.io/service: web\n`,
    );
    const child = spawn(process.execPath, [CLI, 'dp', 'run', '--dataplane-file', dpFile, '--token-file', tokenFile], {
      env: { ...process.env, KUBECONFIG: server.kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      await waitFor('workload/web', NS, '{.status.dataplaneProxies.connected}', 1);
      await k.ok(['wait', '--for=jsonpath={.status.dataplaneProxies.healthy}=1', 'workload/web', '-n', NS, WAIT]);
    } catch (e) {
      throw new Error(`${(e as Error).message}\ndp run output:\n${output}`);
    }
    assert.deepEqual(await counts('web'), { connected: 1, healthy: 1, total: 1 });

    child.kill('SIGKILL');
    await exited;
    await k.ok(['wait', '--for=jsonpath={.status.dataplaneProxies.connected}=0', 'workload/web', '-n', NS, '--timeout=30s']);
    // A crash is no goodbye: the Dataplane stays registered, only disconnected.
    assert.deepEqual(await counts('web'), { connected: 0, healthy: 1, total: 1 });
    // The pods' own proxies are unaffected.
    assert.deepEqual(await counts('demo-workload'), { connected: 2, healthy: 2, total: 2 });
  });
});
