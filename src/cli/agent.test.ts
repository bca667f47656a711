import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
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

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const PODS = { group: '', version: 'v1', resource: 'pods' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
type Obj = Record<string, unknown>;
const phase = (p: KObject | undefined) => (p?.status as Obj | undefined)?.phase;

describe('workplane agent (over HTTPS against a real control plane)', () => {
  let dir: string;
  let cp: ControlPlane;
  let admin: HttpClient;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'workplane-agent-cli-'));
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

  async function withAgent(args: string[], body: (lines: string[]) => Promise<void>): Promise<void> {
    const ac = new AbortController();
    const lines: string[] = [];
    const done = runAgent(['--kubeconfig', cp.kubeconfigPath, ...args], { signal: ac.signal, out: (l) => lines.push(l) });
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

  it('runs a process pod and serves its logs to kubectl through the API server', async () => {
    const root = join(dir, 'agent-root');
    await withAgent(['--runtime', 'process', '--name-prefix', 'host', '--log-port', '0', '--root-dir', root], async (lines) => {
      assert.match(lines.find((l) => l.startsWith('agent running'))!, /logs on 127\.0\.0\.1:\d+/);
      const node = (await admin.resource(NODES).get(undefined, 'host-0'))!;
      const port = (((node.status as Obj).daemonEndpoints as Obj).kubeletEndpoint as Obj).Port as number;
      assert.ok(port > 0);
      const spec = { nodeName: 'host-0', containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo "hello from $(POD)"; sleep 30'], env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }] };
      await admin.resource(PODS).create('default', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'proc' }, spec });
      await eventually(async () => phase(await admin.resource(PODS).get('default', 'proc')) === 'Running', 'process pod running');
      const kubectl = (...a: string[]) => promisify(execFile)(KUBECTL, ['--kubeconfig', cp.kubeconfigPath, '--cache-dir', join(dir, 'kube-cache'), ...a]);
      await eventually(async () => (await kubectl('logs', 'proc').catch(() => ({ stdout: '' }))).stdout === 'hello from proc\n', 'kubectl logs');
      await admin.resource(PODS).delete('default', 'proc', { gracePeriodSeconds: 1 });
      await eventually(async () => (await admin.resource(PODS).get('default', 'proc')) === undefined, 'process pod removed');
    });
  });
});
