// The client-conformance suite: one list of scenarios that every real client
// (kubectl, @kubernetes/client-node, the official Python client) runs against
// a live `workplane serve`, through a driver that speaks that client's API.
// For each kind: list, create, get, patch (merge, strategic, JSON), replace
// (and a stale replace refused), delete; a watch started before the changes
// must see every change in order with the resourceVersions the writes
// returned, and after a disconnect resume from the last one it saw without
// losing or repeating anything. The kuma.io Workload, which only the control
// plane writes, is made and removed through the pods that reference it.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ServerProcess } from '../../testing/server-process.js';
import { KubeHttp, sleep } from '../support/kube-http.js';
import { ClientApiError, type ClientDriver, type ClientWatch, type KindRef, type Obj, type WatchEvent } from './driver.js';
import { CONFIG_MAPS, CRONTABS, DIRECT_KINDS, MESH_NAMESPACE, MESH_WORKLOADS, PODS, ensureNamespace, meshPod, setupMesh, type KindCase } from './kinds.js';
import { ReferenceWatch } from './reference-watch.js';

/** Something else that watches a scenario's collection beside the driver's watch (client-node's informer). */
export interface Observer {
  /** Waits until it has seen exactly `expected` for `name`, and no longer holds the object. */
  check(name: string, expected: WatchEvent[]): Promise<void>;
  stop(): Promise<void>;
}

export interface ConformanceOptions {
  makeDriver(server: ServerProcess): Promise<ClientDriver>;
  observe?(server: ServerProcess, kind: KindRef, ns: string | undefined): Promise<Observer>;
}

const RFC3339_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

async function until(what: string, pred: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

/** The refusal a call must end in. */
async function refused(call: Promise<unknown>, code: number): Promise<ClientApiError> {
  try {
    await call;
  } catch (e) {
    if (!(e instanceof ClientApiError)) throw e;
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected a ${code} refusal, but the call succeeded`);
}

const trail = (events: WatchEvent[]) => events.map((e) => `${e.type}@${e.resourceVersion}`);
const mine = (w: ClientWatch, name: string) => w.events.filter((e) => e.name === name);
const sawRv = (w: ClientWatch, name: string, rv: string) => w.events.some((e) => e.name === name && e.resourceVersion === rv);

/** What the server put on the wire parses as RFC 3339 (Python's client parses every timestamp). */
function checkTimestamps(events: WatchEvent[]): void {
  for (const e of events) {
    const m = e.object.metadata;
    assert.match(m.creationTimestamp, RFC3339_SECONDS);
    if (m.deletionTimestamp !== undefined) assert.match(m.deletionTimestamp, RFC3339_SECONDS);
    for (const f of m.managedFields ?? []) assert.match(f.time, RFC3339_SECONDS, JSON.stringify(f));
  }
}

/**
 * The client's events (before and after its disconnect) must be the reference's,
 * in order, with the same resourceVersions; every write must be among them.
 */
function checkWatch(ref: ReferenceWatch, name: string, seen: WatchEvent[], writes: { type: string; rv: string }[]): void {
  const want = ref.of(name);
  assert.deepEqual(trail(seen), trail(want), 'the client watch must see exactly what the server did, in order');
  const rvs = want.map((e) => BigInt(e.resourceVersion));
  for (let i = 1; i < rvs.length; i++) assert.ok(rvs[i] > rvs[i - 1], `resourceVersions must increase: ${trail(want).join(' ')}`);
  for (const w of writes) assert.ok(want.some((e) => e.type === w.type && e.resourceVersion === w.rv), `the watch must show the write ${w.type}@${w.rv}: ${trail(want).join(' ')}`);
  assert.equal(want[0]?.type, 'ADDED');
  assert.equal(want.at(-1)?.type, 'DELETED');
  checkTimestamps(want);
}

/** Replaces `name` with `mutate` applied to a fresh read, retrying on conflicts with the control plane's writes. */
async function replaceFresh(d: ClientDriver, kind: KindRef, ns: string | undefined, name: string, mutate: (o: Obj) => void): Promise<Obj> {
  for (let attempt = 0; ; attempt++) {
    const cur = await d.get(kind, ns, name);
    mutate(cur);
    try {
      return await d.replace(kind, ns, name, cur);
    } catch (e) {
      if (!(e instanceof ClientApiError) || e.code !== 409 || attempt > 20) throw e;
    }
  }
}

/** Waits for the first watch to have seen `rv` (or to have ended by itself), then disconnects it. */
async function disconnectAfter(w: ClientWatch, name: string, rv: string): Promise<string | undefined> {
  await until(`the client's watch to see ${name}@${rv}`, () => sawRv(w, name, rv) || w.ended);
  await w.disconnect();
  assert.equal(w.error, undefined, `the first watch failed: ${w.error}`);
  return mine(w, name).at(-1)?.resourceVersion;
}

export function runClientConformance(label: string, opts: ConformanceOptions): void {
  describe(`client conformance: ${label}`, { timeout: 900_000 }, () => {
    let server: ServerProcess;
    let admin: KubeHttp;
    let d: ClientDriver;
    const target = () => ({ baseUrl: server.url, ca: server.caPem, token: server.adminToken });

    before(async () => {
      server = await new ServerProcess({ storage: 'sqlite', extraArgs: ['--agent-nodes', '1'] }).start();
      admin = new KubeHttp(target());
      for (const kc of DIRECT_KINDS) await kc.setup(admin);
      await setupMesh(admin);
      d = await opts.makeDriver(server);
    });

    after(async () => {
      await d?.close();
      admin?.close();
      await server?.cleanup();
    });

    for (const kc of DIRECT_KINDS) {
      it(`${kc.title}: list, create, get, patch, replace, delete; a watch sees every change in order and resumes after a disconnect`, async () => {
        await directScenario(kc);
      });
    }

    async function directScenario(kc: KindCase): Promise<void> {
      const { ref: kind, namespace: ns, name } = kc;
      const reference = await ReferenceWatch.start(target(), kind, ns);
      const observer = await opts.observe?.(server, kind, ns);
      try {
        const listed = await d.list(kind, ns);
        assert.ok(!listed.items.some((o) => o.metadata.name === name), `${name} must not exist yet`);
        const w1 = await d.watchFromList(kind, ns);
        const writes: { type: string; rv: string }[] = [];
        const wrote = (type: string, o: Obj) => {
          writes.push({ type, rv: o.metadata.resourceVersion });
          return o;
        };

        const created = wrote('ADDED', await d.create(kind, ns, kc.object(name)));
        assert.equal(created.metadata.name, name);
        assert.match(created.metadata.uid, /^[0-9a-f-]{36}$/);
        await refused(d.create(kind, ns, kc.object(name)), 409);
        const got = await d.get(kind, ns, name);
        assert.equal(got.metadata.uid, created.metadata.uid);
        // The control plane may have written since (a scheduler's binding, a controller's finalizer), never anything older.
        assert.ok(BigInt(got.metadata.resourceVersion) >= BigInt(created.metadata.resourceVersion));

        kc.merge.check(wrote('MODIFIED', await d.patch(kind, ns, name, 'merge', kc.merge.body)));
        if (kc.strategic === 'unsupported') {
          const e = await refused(d.patch(kind, ns, name, 'strategic', { metadata: { labels: { smp: 'no' } } }), 415);
          assert.equal(e.reason, 'UnsupportedMediaType');
        } else kc.strategic.check(wrote('MODIFIED', await d.patch(kind, ns, name, 'strategic', kc.strategic.body)));
        const jsonPatched = wrote('MODIFIED', await d.patch(kind, ns, name, 'json', kc.json.body));
        kc.json.check(jsonPatched);

        // The disconnect: writes go on while no watch of this client is open.
        const lastSeen = (await disconnectAfter(w1, name, jsonPatched.metadata.resourceVersion)) ?? reference.startRv;
        const stale = { ...kc.object(name), metadata: { ...kc.object(name).metadata, resourceVersion: created.metadata.resourceVersion } };
        const conflict = await refused(d.replace(kind, ns, name, stale), 409);
        assert.equal(conflict.reason, 'Conflict');
        const replaced = wrote('MODIFIED', await replaceFresh(d, kind, ns, name, kc.replace.mutate));
        kc.replace.check(replaced);
        const relisted = await d.list(kind, ns);
        const item = relisted.items.find((o) => o.metadata.name === name);
        assert.ok(item, `the list after the replace must hold ${name}`);
        assert.ok(BigInt(item.metadata.resourceVersion) >= BigInt(replaced.metadata.resourceVersion), 'a list after a write must not be older than the write');

        const w2 = await d.watchFrom(kind, ns, lastSeen);
        const answer = await d.delete(kind, ns, name);
        if (answer.code !== undefined) assert.equal(answer.code, 200, 'kube answers a delete with 200');
        if (answer.body) {
          if (kc.deleteAnswer === 'status') {
            assert.deepEqual(
              [answer.body.kind, answer.body.status, answer.body.details?.name, answer.body.details?.kind, answer.body.details?.uid],
              ['Status', 'Success', name, kind.plural, created.metadata.uid],
              JSON.stringify(answer.body),
            );
          } else {
            assert.equal(answer.body.kind, kind.kind, JSON.stringify(answer.body));
            // The Python client reads a Namespace's answer into V1Status (its OpenAPI says so), keeping kind and resourceVersion only.
            if (answer.body.metadata?.name !== undefined) assert.deepEqual([answer.body.metadata.name, answer.body.metadata.uid], [name, created.metadata.uid]);
          }
        }
        await reference.sees(name, 'DELETED');
        await until(`the resumed watch to see ${name} deleted`, () => mine(w2, name).some((e) => e.type === 'DELETED') || w2.error !== undefined);
        assert.equal(w2.error, undefined, `the resumed watch failed: ${w2.error}`);
        writes.push({ type: 'DELETED', rv: reference.of(name).at(-1)!.resourceVersion });
        await refused(d.get(kind, ns, name), 404);
        const w1Seen = mine(w1, name);
        checkWatch(reference, name, [...w1Seen, ...mine(w2, name)], writes);
        assert.ok(w1Seen.length > 0, 'the first watch saw nothing before its disconnect');
        await w2.disconnect();
        await observer?.check(name, reference.of(name));
      } finally {
        reference.close();
        await observer?.stop();
      }
    }

    it('kuma.io Workload: generated from meshed pods; list, get and watch it; user writes refused; gone with its pods', async () => {
      const ns = MESH_NAMESPACE;
      const wl = 'clients-wl';
      const kind = MESH_WORKLOADS;
      const reference = await ReferenceWatch.start(target(), kind, ns);
      const observer = await opts.observe?.(server, kind, ns);
      try {
        assert.ok(!(await d.list(kind, ns)).items.some((o) => o.metadata.name === wl));
        const w1 = await d.watchFromList(kind, ns);
        await d.create(PODS, ns, meshPod('wl-a', wl));
        let generated: Obj | undefined;
        await until(`Workload ${wl} to be generated`, async () => {
          generated = await d.get(kind, ns, wl).catch((e: unknown) => (e instanceof ClientApiError && e.code === 404 ? undefined : Promise.reject(e)));
          return generated !== undefined;
        });
        assert.deepEqual([generated!.metadata.labels?.['kuma.io/mesh'], generated!.metadata.labels?.['kuma.io/managed-by'], generated!.spec], ['default', 'k8s-controller', {}]);
        assert.ok((await d.list(kind, ns)).items.some((o) => o.metadata.name === wl));

        // Only the control plane writes it: every client's write is refused with a reason.
        const forbidden = await refused(d.patch(kind, ns, wl, 'merge', { metadata: { labels: { team: 'x' } } }), 403);
        assert.equal(forbidden.reason, 'Forbidden');
        assert.match(forbidden.detail, /managed by the control plane/);
        await refused(d.patch(kind, ns, wl, 'json', [{ op: 'add', path: '/metadata/labels/team', value: 'x' }]), 403);
        await refused(d.patch(kind, ns, wl, 'strategic', { metadata: { labels: { team: 'x' } } }), 415);
        await refused(replaceFresh(d, kind, ns, wl, (o) => (o.metadata.labels = { ...o.metadata.labels, team: 'x' })), 403);
        await refused(d.create(kind, ns, { apiVersion: 'kuma.io/v1alpha1', kind: 'Workload', metadata: { name: 'by-hand' }, spec: {} }), 403);

        await d.create(PODS, ns, meshPod('wl-b', wl));
        await until('the Workload to count both proxies', async () => (await d.get(kind, ns, wl)).status?.dataplaneProxies?.total === 2);
        const counted = await d.get(kind, ns, wl);
        const lastSeen = (await disconnectAfter(w1, wl, counted.metadata.resourceVersion)) ?? reference.startRv;
        await d.delete(PODS, ns, 'wl-a');
        await d.delete(PODS, ns, 'wl-b');
        const w2 = await d.watchFrom(kind, ns, lastSeen);
        await reference.sees(wl, 'DELETED');
        await until('the resumed watch to see the Workload deleted', () => mine(w2, wl).some((e) => e.type === 'DELETED') || w2.error !== undefined);
        assert.equal(w2.error, undefined, `the resumed watch failed: ${w2.error}`);
        await refused(d.get(kind, ns, wl), 404);
        checkWatch(reference, wl, [...mine(w1, wl), ...mine(w2, wl)], [{ type: 'ADDED', rv: reference.of(wl)[0].resourceVersion }]);
        assert.ok(mine(w1, wl).length > 0, 'the first watch saw nothing before its disconnect');
        await w2.disconnect();
        await observer?.check(wl, reference.of(wl));
      } finally {
        reference.close();
        await observer?.stop();
      }
    });

    it('lists in chunks (limit and continue) and from resourceVersion 0, for a core kind and a CRD', async () => {
      for (const kind of [CONFIG_MAPS, CRONTABS]) {
        const ns = `chunks-${kind.plural}`;
        await ensureNamespace(admin, ns);
        const names = ['c1', 'c2', 'c3', 'c4', 'c5'];
        for (const n of names) {
          const body =
            kind === CONFIG_MAPS
              ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n }, data: { n } }
              : { apiVersion: 'clients.example.com/v1', kind: 'CronTab', metadata: { name: n }, spec: { cronSpec: '* * * * *', image: n } };
          await admin.ok('POST', `/${kind.group ? `apis/${kind.group}` : 'api'}/${kind.version}/namespaces/${ns}/${kind.plural}`, body);
        }
        const page = await d.list(kind, ns, { limit: 2 });
        assert.deepEqual(page.items.map((o) => o.metadata.name), ['c1', 'c2']);
        assert.ok(page.continue, 'a partial list carries a continue token');
        const next = await d.list(kind, ns, { limit: 2, continue: page.continue });
        assert.deepEqual(next.items.map((o) => o.metadata.name), ['c3', 'c4']);
        const chunked = await d.listInChunks(kind, ns, 2);
        assert.deepEqual(chunked.items.map((o) => o.metadata.name), names);
        if (chunked.requests !== undefined) assert.equal(chunked.requests, 3, 'five items in pages of two take three requests');
        const cached = await d.list(kind, ns, { resourceVersion: '0' });
        assert.deepEqual(cached.items.map((o) => o.metadata.name).sort(), names);
        const labelled = await d.list(kind, ns, { labelSelector: 'missing=label' });
        assert.deepEqual(labelled.items, []);
      }
    });
  });
}
