// Conformance: single-key operations, their typed errors, and revisions.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyExistsError, KeyNotFoundError, RevisionMismatchError, isKeyExists } from '../types.js';
import { TEST_TIMEOUT, withStore, type StoreFactory } from './harness.js';

export function crudCases(factory: StoreFactory): void {
  describe('single keys', () => {
    it('creates, gets, and refuses a duplicate create', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        assert.equal(await s.get('/c/a'), undefined);
        const kv = await s.create('/c/a', '{"v":1}');
        assert.deepEqual(kv, { key: '/c/a', value: '{"v":1}', createRevision: kv.modRevision, modRevision: kv.modRevision });
        assert.deepEqual(await s.get('/c/a'), kv);
        const err = await s.create('/c/a', '{"v":2}').catch((e: unknown) => e);
        assert.ok(isKeyExists(err));
        assert.equal((err as KeyExistsError).key, '/c/a');
        assert.deepEqual(await s.get('/c/a'), kv);
      }));

    it('updates only at the expected revision', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const v1 = await s.create('/c/u', 'one');
        const v2 = await s.update('/c/u', 'two', v1.modRevision);
        assert.ok(v2.modRevision > v1.modRevision);
        assert.deepEqual(v2, { key: '/c/u', value: 'two', createRevision: v1.createRevision, modRevision: v2.modRevision });
        await assert.rejects(s.update('/c/u', 'stale', v1.modRevision), (e: unknown) => {
          assert.ok(e instanceof RevisionMismatchError);
          assert.deepEqual(e.current, v2);
          return true;
        });
        await assert.rejects(s.update('/c/missing', 'x', v2.modRevision), KeyNotFoundError);
        assert.deepEqual(await s.get('/c/u'), v2);
      }));

    it('deletes with and without a revision guard', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const a = await s.create('/c/d1', 'a');
        const gone = await s.delete('/c/d1');
        assert.equal(gone.value, 'a');
        assert.equal(gone.createRevision, a.createRevision);
        assert.ok(gone.modRevision > a.modRevision);
        assert.equal(await s.get('/c/d1'), undefined);
        await assert.rejects(s.delete('/c/d1'), KeyNotFoundError);

        const b = await s.create('/c/d2', 'b');
        const b2 = await s.update('/c/d2', 'b2', b.modRevision);
        await assert.rejects(s.delete('/c/d2', b.modRevision), (e: unknown) => {
          assert.ok(e instanceof RevisionMismatchError);
          assert.deepEqual(e.current, b2);
          return true;
        });
        const del = await s.delete('/c/d2', b2.modRevision);
        assert.equal(del.value, 'b2');
        assert.ok(del.modRevision > b2.modRevision);
        await assert.rejects(s.delete('/c/d2', b2.modRevision), KeyNotFoundError);
      }));

    it('gives a re-created key a new create revision', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const first = await s.create('/c/r', '1');
        await s.delete('/c/r');
        const again = await s.create('/c/r', '2');
        assert.ok(again.createRevision > first.createRevision);
        assert.equal(again.createRevision, again.modRevision);
      }));

    it('assigns strictly increasing revisions across keys and reports the latest', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const revs: number[] = [];
        for (const k of ['/c/s/b', '/c/s/a', '/c/t', '/c/s/c']) revs.push((await s.create(k, k)).modRevision);
        revs.push((await s.update('/c/s/a', 'x', revs[1])).modRevision);
        revs.push((await s.delete('/c/t')).modRevision);
        for (let i = 1; i < revs.length; i++) assert.ok(revs[i] > revs[i - 1], `revisions ${revs.join(',')}`);
        assert.equal(await s.currentRevision(), revs[revs.length - 1]);
      }));

    it('rejects a failed write without consuming a revision', TEST_TIMEOUT, () =>
      withStore(factory, async (s) => {
        const a = await s.create('/c/f', 'a');
        await assert.rejects(s.create('/c/f', 'again'), KeyExistsError);
        await assert.rejects(s.update('/c/f', 'x', a.modRevision + 100), RevisionMismatchError);
        assert.equal(await s.currentRevision(), a.modRevision);
      }));
  });
}
