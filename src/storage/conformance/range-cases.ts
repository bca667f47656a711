// Conformance: prefix ranges (ordering, pagination, revision) and counts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../types.js';
import { TEST_TIMEOUT, withStore, type StoreFactory } from './harness.js';

const UNDER = ['/r/a/3', '/r/a/1', '/r/a/10', '/r/a/2', '/r/a/b/x', '/r/a/-'];
const OUTSIDE = ['/r/a', '/r/ab', '/r/a0', '/r/', '/q/a/1'];

async function seed(s: Store): Promise<number> {
  let rev = 0;
  for (const k of [...UNDER, ...OUTSIDE]) rev = (await s.create(k, `v${k}`)).modRevision;
  return rev;
}

export function rangeCases(factory: StoreFactory): void {
  describe('ranges', () => {
    it('returns exactly the keys under a prefix in ascending order', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const rev = await seed(s);
        const res = await s.range('/r/a/');
        assert.deepEqual(res.items.map((kv) => kv.key), [...UNDER].sort());
        assert.equal(res.items[0].value, `v${res.items[0].key}`);
        assert.equal(res.more, false);
        assert.equal(res.revision, rev);
        assert.deepEqual((await s.range('/nothing/')).items, []);
      }));

    it('paginates with limit and startAfter, reporting more', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        await seed(s);
        const seen: string[] = [];
        let startAfter: string | undefined;
        let pages = 0;
        for (;;) {
          const page = await s.range('/r/a/', { limit: 4, startAfter });
          pages++;
          seen.push(...page.items.map((kv) => kv.key));
          if (!page.more) break;
          assert.equal(page.items.length, 4);
          startAfter = page.items[page.items.length - 1].key;
        }
        assert.equal(pages, 2);
        assert.deepEqual(seen, [...UNDER].sort());
        const exact = await s.range('/r/a/', { limit: UNDER.length });
        assert.equal(exact.items.length, UNDER.length);
        assert.equal(exact.more, false);
        const beforePrefix = await s.range('/r/a/', { limit: 2, startAfter: '/r/' });
        assert.deepEqual(beforePrefix.items.map((kv) => kv.key), [...UNDER].sort().slice(0, 2));
        assert.deepEqual((await s.range('/r/a/', { startAfter: '/r/b' })).items, []);
      }));

    it('counts keys under a prefix', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        await seed(s);
        assert.equal(await s.count('/r/a/'), UNDER.length);
        assert.equal(await s.count('/r/'), UNDER.length + OUTSIDE.length - 1);
        await s.delete('/r/a/1');
        assert.equal(await s.count('/r/a/'), UNDER.length - 1);
        assert.equal(await s.count('/none/'), 0);
      }));

    it('reads the latest values after updates and deletes', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const a = await s.create('/r/l/a', '1');
        await s.create('/r/l/b', '1');
        const a2 = await s.update('/r/l/a', '2', a.modRevision);
        const del = await s.delete('/r/l/b');
        const res = await s.range('/r/l/');
        assert.deepEqual(res.items, [a2]);
        assert.equal(res.revision, del.modRevision);
      }));
  });
}
