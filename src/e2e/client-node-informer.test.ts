// A second real client: the official JavaScript client (@kubernetes/client-node)
// reads the server's kubeconfig, makes plain API calls on a core and a custom
// kind, and runs an informer that must see every add, update and delete,
// including across a server restart on the same data dir and port, and end with
// a cache equal to the server's list.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  makeInformer,
  setHeaderOptions,
  type Informer,
  type ObjectCache,
  type V1ConfigMap,
} from '@kubernetes/client-node';
import { ServerProcess } from '../testing/server-process.js';
import { sleep } from './support/kube-http.js';

const NS = 'informer';
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const widgets = { group: 'example.workplane.dev', version: 'v1', namespace: NS, plural: 'widgets' };

async function until(what: string, pred: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

const statusOf = async (p: Promise<unknown>): Promise<number> =>
  p.then(
    () => 200,
    (e: unknown) => (e instanceof ApiException ? e.code : Promise.reject(e)),
  );

describe('@kubernetes/client-node against workplane (sqlite)', () => {
  let server: ServerProcess;
  let kc: KubeConfig;
  let core: CoreV1Api;

  before(async () => {
    server = await new ServerProcess({ storage: 'sqlite', extraArgs: ['--agent-nodes', '0', '--runtime-config', 'example.workplane.dev/v1=true'] }).start();
    kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig);
    core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: NS } } });
  });

  after(async () => {
    await server?.cleanup();
  });

  it('answers plain create, read, list, patch, replace and delete calls', async () => {
    const created = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'plain', labels: { app: 'demo' } }, data: { a: '1' } } });
    assert.equal(created.metadata?.uid?.length, 36);
    const read = await core.readNamespacedConfigMap({ name: 'plain', namespace: NS });
    assert.deepEqual(read.data, { a: '1' });
    assert.equal(read.metadata?.resourceVersion, created.metadata?.resourceVersion);
    // The generated client sends JSON patch by default.
    const jsonPatched = await core.patchNamespacedConfigMap({ name: 'plain', namespace: NS, body: [{ op: 'add', path: '/data/b', value: '2' }] });
    assert.deepEqual(jsonPatched.data, { a: '1', b: '2' });
    const merged = await core.patchNamespacedConfigMap({ name: 'plain', namespace: NS, body: { data: { a: null, c: '3' } } }, mergePatch);
    assert.deepEqual(merged.data, { b: '2', c: '3' });
    const stale = { ...merged, metadata: { ...merged.metadata, resourceVersion: created.metadata?.resourceVersion } };
    assert.equal(await statusOf(core.replaceNamespacedConfigMap({ name: 'plain', namespace: NS, body: stale })), 409);
    const replaced = await core.replaceNamespacedConfigMap({ name: 'plain', namespace: NS, body: { ...merged, data: { d: '4' } } });
    assert.deepEqual(replaced.data, { d: '4' });
    const listed = await core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'app=demo' });
    assert.deepEqual(listed.items.map((i) => i.metadata?.name), ['plain']);
    await core.deleteNamespacedConfigMap({ name: 'plain', namespace: NS });
    assert.equal(await statusOf(core.readNamespacedConfigMap({ name: 'plain', namespace: NS })), 404);

    const custom = kc.makeApiClient(CustomObjectsApi);
    const body = { apiVersion: 'example.workplane.dev/v1', kind: 'Widget', metadata: { name: 'w1' }, spec: { replicas: 1, image: 'nginx:1.25' } };
    await custom.createNamespacedCustomObject({ ...widgets, body });
    await custom.patchNamespacedCustomObject({ ...widgets, name: 'w1', body: { spec: { replicas: 3 } } }, mergePatch);
    const w = (await custom.getNamespacedCustomObject({ ...widgets, name: 'w1' })) as { spec: { replicas: number; image: string } };
    assert.deepEqual([w.spec.replicas, w.spec.image], [3, 'nginx:1.25']);
    assert.equal(await statusOf(custom.createNamespacedCustomObject({ ...widgets, body: { ...body, metadata: { name: 'bad' }, spec: { replicas: 5000, image: 'x' } } })), 422);
    await custom.deleteNamespacedCustomObject({ ...widgets, name: 'w1' });
  });

  it('keeps an informer complete and in sync across a server restart', { timeout: 90_000 }, async (t) => {
    type Seen = { verb: 'add' | 'update' | 'delete'; name: string; rv: string };
    const seen: Seen[] = [];
    const errors: string[] = [];
    let lists = 0;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    const path = `/api/v1/namespaces/${NS}/configmaps`;
    const informer: Informer<V1ConfigMap> & ObjectCache<V1ConfigMap> = makeInformer(kc, path, () => {
      lists++;
      return core.listNamespacedConfigMap({ namespace: NS });
    });
    const record = (verb: Seen['verb']) => (o: V1ConfigMap) => seen.push({ verb, name: o.metadata!.name!, rv: o.metadata!.resourceVersion! });
    informer.on('add', record('add'));
    informer.on('update', record('update'));
    informer.on('delete', record('delete'));
    // client-node leaves restarting after an error to its user, as its README shows.
    informer.on('error', (err: unknown) => {
      errors.push(String((err as Error)?.message ?? err));
      if (!stopped) retry = setTimeout(() => void informer.start(), 200);
    });
    const saw = (verb: Seen['verb'], name: string, rv?: string) => until(`${verb} ${name}${rv ? `@${rv}` : ''}`, () => seen.some((s) => s.verb === verb && s.name === name && (rv === undefined || s.rv === rv)));
    const create = async (name: string) => {
      const o = await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name }, data: { n: '0' } } });
      return o.metadata!.resourceVersion!;
    };
    const bump = async (name: string, n: number) => {
      const o = await core.patchNamespacedConfigMap({ name, namespace: NS, body: { data: { n: String(n) } } }, mergePatch);
      return o.metadata!.resourceVersion!;
    };
    const remove = (name: string) => core.deleteNamespacedConfigMap({ name, namespace: NS });

    try {
      await informer.start();
      // Before the restart: each change is waited for, so every one must be delivered.
      for (const name of ['cm-1', 'cm-2', 'cm-3']) await saw('add', name, await create(name));
      await saw('update', 'cm-1', await bump('cm-1', 1));
      await saw('update', 'cm-1', await bump('cm-1', 2));
      await remove('cm-2');
      await saw('delete', 'cm-2');

      await server.stop();
      await server.start();
      // Right after the restart, while the informer may still be reconnecting.
      await saw('add', 'cm-4', await create('cm-4'));
      await saw('update', 'cm-3', await bump('cm-3', 1));
      await remove('cm-1');
      await saw('delete', 'cm-1');

      // A burst nobody waits for: the watch must deliver all of it, in order.
      const listsBeforeBurst = lists;
      const burst: Seen[] = [];
      for (let n = 1; n <= 10; n++) burst.push({ verb: 'update', name: 'cm-4', rv: await bump('cm-4', n) });
      for (const name of ['cm-5', 'cm-6']) burst.push({ verb: 'add', name, rv: await create(name) });
      await remove('cm-3');
      const listed = await core.listNamespacedConfigMap({ namespace: NS });
      const want = new Map(listed.items.map((o) => [o.metadata!.name!, o.metadata!.resourceVersion!]));
      const cached = () => new Map(informer.list(NS).map((o) => [o.metadata!.name!, o.metadata!.resourceVersion!]));
      await until('the informer cache to equal the list', () => JSON.stringify([...cached()].sort()) === JSON.stringify([...want].sort()));
      assert.equal(cached().get('cm-4'), burst[9].rv);
      assert.equal(informer.get('cm-4', NS)?.data?.n, '10');
      if (lists === listsBeforeBurst) {
        for (const b of burst) assert.ok(seen.some((s) => s.verb === b.verb && s.name === b.name && s.rv === b.rv), `missed ${b.verb} ${b.name}@${b.rv}`);
        assert.ok(seen.some((s) => s.verb === 'delete' && s.name === 'cm-3'));
      } else assert.fail(`the informer relisted during the burst (errors: ${errors.join(' | ')})`);
      const distinct = [...new Set(errors.map((e) => e.replace(/^request to \S+ failed, reason: /, '')))];
      t.diagnostic(`informer: ${seen.length} callbacks, ${lists} lists, ${errors.length} errors (${distinct.join(' | ') || 'none'})`);
    } finally {
      stopped = true;
      clearTimeout(retry);
      await informer.stop();
    }
  });
});
