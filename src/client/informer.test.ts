import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KObject } from '../api/object.js';
import { Informer } from './informer.js';
import { silentLogger } from './logger.js';
import { eventually, startTestApi, widget, WIDGETS, type TestApi } from './testing.js';
import type { ListOpts, ObjectList, ResourceClient, WatchHandler, WatchOpts } from './types.js';

/** Wraps a resource client so a test can cut watches and hold lists. */
class Flaky {
  lists = 0;
  watches: WatchOpts[] = [];
  private handler?: WatchHandler;
  private inner?: { stop(): void };
  private gate?: Promise<void>;
  private open?: () => void;
  readonly rc: ResourceClient;

  constructor(base: ResourceClient) {
    this.rc = Object.assign(Object.create(base) as ResourceClient, {
      list: async (ns?: string, o?: ListOpts): Promise<ObjectList> => {
        this.lists++;
        if (this.gate) await this.gate;
        return base.list(ns, o);
      },
      watch: (ns: string | undefined, o: WatchOpts, h: WatchHandler) => {
        this.watches.push(o);
        this.handler = h;
        this.inner = base.watch(ns, o, h);
        return this.inner;
      },
    });
  }

  holdLists(): void {
    this.gate = new Promise((r) => (this.open = r));
  }

  releaseLists(): void {
    this.gate = undefined;
    this.open?.();
  }

  cut(err?: Error & { expired?: boolean }): void {
    this.inner?.stop();
    this.handler?.onClose(err);
  }
}

function recorder(inf: Informer) {
  const seen: string[] = [];
  inf.addHandler({
    onAdd: (o) => seen.push(`add ${o.metadata.name}`),
    onUpdate: (a, b) => seen.push(`update ${b.metadata.name} ${String((a.spec as KObject['spec'] & { v?: number })?.v)}->${String((b.spec as { v?: number })?.v)}`),
    onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
  });
  return seen;
}

describe('Informer', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi();
  });
  after(() => api.close());

  it('lists, then follows changes, with indexes', async () => {
    const rc = api.client.resource(WIDGETS);
    await rc.create('a', widget('a', 'one', { spec: { v: 1, color: 'red' } }));
    const inf = new Informer(rc, { namespace: 'a', indexers: { color: (o) => [String((o.spec as { color?: string }).color)] } });
    const seen = recorder(inf);
    const ac = new AbortController();
    const done = inf.start(ac.signal);
    assert.equal(await inf.waitForSync(), true);
    assert.equal(inf.hasSynced, true);
    assert.deepEqual(seen, ['add one']);
    await rc.create('a', widget('a', 'two', { spec: { v: 1, color: 'blue' } }));
    await rc.create('b', widget('b', 'elsewhere'));
    const one = (await rc.get('a', 'one'))!;
    one.spec = { v: 2, color: 'blue' };
    await rc.update('a', one);
    await eventually(() => seen.length === 3, 'two events');
    assert.deepEqual(seen, ['add one', 'add two', 'update one 1->2']);
    assert.deepEqual(inf.byIndex('color', 'blue').map((o) => o.metadata.name).sort(), ['one', 'two']);
    assert.deepEqual(inf.byIndex('color', 'red'), []);
    await rc.delete('a', 'two');
    await eventually(() => seen.length === 4, 'delete');
    assert.equal(seen[3], 'delete two');
    assert.equal(inf.get('a', 'two'), undefined);
    assert.equal(inf.get('a', 'one')?.metadata.name, 'one');
    assert.deepEqual(inf.byIndex('color', 'blue').map((o) => o.metadata.name), ['one']);
    // A late handler sees the current objects as adds.
    const late: string[] = [];
    inf.addHandler({ onAdd: (o) => late.push(o.metadata.name!) });
    assert.deepEqual(late, ['one']);
    ac.abort();
    await done;
  });

  it('resumes a cleanly closed watch from the last version without listing again', async () => {
    const base = api.client.resource(WIDGETS);
    const flaky = new Flaky(base);
    const inf = new Informer(flaky.rc, { namespace: 'c' });
    const seen = recorder(inf);
    const ac = new AbortController();
    const done = inf.start(ac.signal);
    await inf.waitForSync();
    await base.create('c', widget('c', 'x'));
    await eventually(() => seen.length === 1, 'add');
    const rv = inf.lastResourceVersion;
    flaky.cut();
    await eventually(() => flaky.watches.length === 2, 're-watch');
    assert.equal(flaky.watches[1].resourceVersion, rv);
    await base.create('c', widget('c', 'y'));
    await eventually(() => seen.length === 2, 'second add');
    assert.equal(flaky.lists, 1);
    ac.abort();
    await done;
  });

  it('re-lists after 410 Expired and reports what changed while disconnected', async () => {
    const base = api.client.resource(WIDGETS);
    await base.create('d', widget('d', 'stays', { spec: { v: 1 } }));
    await base.create('d', widget('d', 'changes', { spec: { v: 1 } }));
    await base.create('d', widget('d', 'goes', { spec: { v: 1 } }));
    const flaky = new Flaky(base);
    const inf = new Informer(flaky.rc, { namespace: 'd', minBackoffMs: 1 });
    const seen = recorder(inf);
    const ac = new AbortController();
    const done = inf.start(ac.signal);
    await inf.waitForSync();
    assert.equal(seen.length, 3);
    await eventually(() => flaky.watches.length === 1, 'watch open');
    flaky.holdLists();
    flaky.cut(Object.assign(new Error('too old'), { expired: true }));
    await eventually(() => flaky.lists === 2, 're-list started');
    const c = (await base.get('d', 'changes'))!;
    c.spec = { v: 2 };
    await base.update('d', c);
    await base.delete('d', 'goes');
    await base.create('d', widget('d', 'new'));
    flaky.releaseLists();
    await eventually(() => seen.length === 6, 'differences');
    assert.deepEqual(seen.slice(3).sort(), ['add new', 'delete goes', 'update changes 1->2']);
    assert.deepEqual(inf.list().map((o) => o.metadata.name).sort(), ['changes', 'new', 'stays']);
    ac.abort();
    await done;
  });

  it('re-lists with backoff after a watch error', async () => {
    const base = api.client.resource(WIDGETS);
    const flaky = new Flaky(base);
    const inf = new Informer(flaky.rc, { namespace: 'e', minBackoffMs: 1, log: silentLogger });
    const ac = new AbortController();
    const done = inf.start(ac.signal);
    await inf.waitForSync();
    await eventually(() => flaky.watches.length === 1, 'watch open');
    flaky.cut(new Error('connection reset'));
    await eventually(() => flaky.lists === 2 && flaky.watches.length === 2, 're-list and watch');
    await base.create('e', widget('e', 'after'));
    await eventually(() => inf.get('e', 'after') !== undefined, 'object after recovery');
    ac.abort();
    await done;
  });
});
