// Two `workplane serve` replicas on one etcd create Services at the same time
// from small ranges (29 cluster IPs, 32 node ports): every address is claimed
// in storage (an IPAddress object, a node port record) before its Service is
// stored, so no two Services ever share a cluster IP or node port, whichever
// replica allocated them, and a full range is refused rather than shared. The
// IPAddress objects name their Services, and go when the Service goes.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEtcd, type EtcdServer } from '../testing/etcd-server.js';
import { Kubectl, ServerProcess, writeSecretsKeyFile } from '../testing/server-process.js';
import { eventually } from './seed-support/processes.js';
import { KubeHttp } from './support/kube-http.js';

const NS = 'race';
const RANGES = ['--service-cluster-ip-range', '10.96.0.0/27', '--service-node-port-range', '30000-30031'];
/** Parallel connections per replica (KubeHttp sends one request at a time per connection). */
const CONNECTIONS = 7;

type Svc = { metadata: { name: string }; spec: { clusterIP: string; ports: { nodePort: number }[] } };

describe('Service addresses across two replicas sharing etcd', { timeout: 300_000 }, () => {
  let etcd: EtcdServer;
  const dir = mkdtempSync(join(tmpdir(), 'workplane-svc-replicas-'));
  const secretsKeyFile = writeSecretsKeyFile(join(dir, 'secrets.key'));
  const replicas: ServerProcess[] = [];
  const clients: KubeHttp[][] = [];
  let k: Kubectl;

  before(async () => {
    etcd = await startEtcd();
    for (let i = 0; i < 2; i++) {
      const s = new ServerProcess({ storage: 'etcd', etcdEndpoints: etcd.endpoints, etcdPrefix: '/svc-race', secretsKeyFile, extraArgs: ['--agent-nodes', '0', ...RANGES] });
      replicas.push(await s.start());
      clients.push(Array.from({ length: CONNECTIONS }, () => new KubeHttp({ baseUrl: s.url, ca: s.caPem, token: s.adminToken })));
    }
    k = new Kubectl(replicas[1]);
    await clients[0][0].ok('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  });
  after(async () => {
    for (const c of clients.flat()) c.close();
    k?.cleanup();
    for (const s of replicas) await s.cleanup();
    await etcd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const nodePortService = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'NodePort', selector: { app: name }, ports: [{ port: 80 }] } });
  /** Creates `names` at once, spread over both replicas and all their connections. */
  const createAll = (names: string[]) =>
    Promise.all(names.map((n, i) => clients[i % 2][Math.floor(i / 2) % CONNECTIONS].send('POST', `/api/v1/namespaces/${NS}/services`, nodePortService(n))));
  const services = async (): Promise<Svc[]> => (await clients[1][0].ok('GET', `/api/v1/namespaces/${NS}/services`)).items;

  it('28 Services created at once on two replicas get 28 distinct cluster IPs and node ports', async () => {
    const names = Array.from({ length: 28 }, (_, i) => `s${i}`);
    const results = await createAll(names);
    assert.deepEqual(results.map((r) => r.status).filter((s) => s !== 201), [], JSON.stringify(results.find((r) => r.status !== 201)?.body));
    const made = results.map((r) => r.body as Svc);
    assert.equal(new Set(made.map((s) => s.spec.clusterIP)).size, 28, 'distinct cluster IPs');
    assert.equal(new Set(made.map((s) => s.spec.ports[0].nodePort)).size, 28, 'distinct node ports');
    assert.ok(!made.some((s) => s.spec.clusterIP === '10.96.0.1'), 'the first address stays the kubernetes Service\'s');
  });

  it('each cluster IP is an IPAddress object naming its Service', async () => {
    const ips = (await clients[0][0].ok('GET', '/apis/networking.k8s.io/v1/ipaddresses')).items as { metadata: { name: string; labels: Record<string, string> }; spec: { parentRef: Record<string, string> } }[];
    const byIp = new Map(ips.map((o) => [o.metadata.name, o]));
    for (const s of await services()) {
      const rec = byIp.get(s.spec.clusterIP);
      assert.ok(rec, `IPAddress ${s.spec.clusterIP}`);
      assert.deepEqual(rec.spec.parentRef, { group: '', resource: 'services', namespace: NS, name: s.metadata.name });
      assert.equal(rec.metadata.labels['ipaddress.kubernetes.io/managed-by'], 'ipallocator.k8s.io');
    }
    assert.equal(byIp.get('10.96.0.1')?.spec.parentRef.name, 'kubernetes');
    const table = await k.ok(['get', 'ipaddresses']);
    assert.match(table, /^NAME\s+PARENTREF\s+AGE$/m);
    assert.match(table, /^10\.96\.0\.1\s+services\/default\/kubernetes\s+/m);
    assert.match(await k.ok(['get', 'servicecidrs']), /^kubernetes\s+10\.96\.0\.0\/27\s+/m);
  });

  it('a full range is refused, never shared: of 4 more at once, exactly one gets the last address', async () => {
    const results = await createAll(['late0', 'late1', 'late2', 'late3']);
    const ok = results.filter((r) => r.status === 201);
    assert.equal(ok.length, 1, JSON.stringify(results.map((r) => [r.status, r.body?.message])));
    for (const r of results.filter((x) => x.status !== 201)) assert.match(r.body.message, /failed to allocate a serviceIP: range is full/);
    const all = await services();
    assert.equal(new Set(all.map((s) => s.spec.clusterIP)).size, all.length);
  });

  it('deleting a Service releases its IPAddress; the address can be asked for again on the other replica', async () => {
    const victim = (await services()).find((s) => s.metadata.name === 's0')!;
    await clients[0][0].ok('DELETE', `/api/v1/namespaces/${NS}/services/s0`);
    await eventually(async () => assert.equal((await clients[1][0].send('GET', `/apis/networking.k8s.io/v1/ipaddresses/${victim.spec.clusterIP}`)).status, 404));
    const again = await clients[1][1].send('POST', `/api/v1/namespaces/${NS}/services`, { ...nodePortService('again'), spec: { ...nodePortService('again').spec, clusterIP: victim.spec.clusterIP } });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    const taken = await clients[0][1].send('POST', `/api/v1/namespaces/${NS}/services`, { ...nodePortService('thief'), spec: { ...nodePortService('thief').spec, clusterIP: victim.spec.clusterIP } });
    assert.equal(taken.status, 422);
    assert.match(taken.body.message, /provided IP is already allocated/);
  });
});
