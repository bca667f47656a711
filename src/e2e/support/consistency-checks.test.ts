// The crash test is only as good as its checks: these feed them known-bad
// histories (lost, doubled, duplicated, reordered events; lost writes) and
// expect each to be reported, without any server.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newLedger, finalProblem } from './object-ledger.js';
import { missedAckedWrites } from './history-checks.js';
import { WatchRecorder } from './watch-recorder.js';
import type { RawWatchEvent } from './watch-stream.js';

const ev = (type: string, name: string, rv: number, n?: number): RawWatchEvent => ({
  type,
  object: { metadata: { name, resourceVersion: String(rv) }, ...(n === undefined ? {} : { data: { n: String(n) } }) },
});

function recorder(): WatchRecorder {
  const w = new WatchRecorder('w', { baseUrl: 'https://127.0.0.1:1', ca: '', token: '' }, '/x', (n) => n.startsWith('a'));
  return w;
}

describe('watch recorder checks', () => {
  it('accepts a clean history and ends in the right view', () => {
    const w = recorder();
    for (const e of [ev('ADDED', 'a1', 5, 0), ev('MODIFIED', 'a1', 6, 1), ev('BOOKMARK', '', 6), ev('MODIFIED', 'a1', 9, 2), ev('DELETED', 'a1', 10, 2), ev('ADDED', 'a2', 11, 0)]) w.accept(e);
    assert.deepEqual(w.violations, []);
    assert.deepEqual([...w.view], [['a2', { rv: 11, n: 0 }]]);
    assert.deepEqual(w.diffAgainst([{ metadata: { name: 'a2', resourceVersion: '11' }, data: { n: '0' } }], () => true), []);
  });

  it('reports lost and doubled updates, duplicates and reordering', () => {
    const w = recorder();
    for (const e of [ev('ADDED', 'a1', 5, 0), ev('MODIFIED', 'a1', 6, 2), ev('MODIFIED', 'a1', 7, 2), ev('MODIFIED', 'a1', 7, 3), ev('ADDED', 'a1', 8, 0), ev('DELETED', 'zz', 9)]) w.accept(e);
    assert.equal(w.violations.length, 5, w.violations.join('\n'));
    assert.match(w.violations[0], /counter went from 0 to 2/);
    assert.match(w.violations[1], /counter went from 2 to 2/);
    assert.match(w.violations[2], /not above the previous 7/);
    assert.match(w.violations[3], /ADDED but already present/);
    assert.match(w.violations[4], /DELETED but not present/);
  });

  it('asks for a relist on 410 and reports a bookmark that goes back', () => {
    const w = recorder();
    w.accept(ev('ADDED', 'a1', 5, 0));
    assert.equal(w.accept({ type: 'ERROR', object: { code: 410 } }), 'expired');
    w.accept(ev('BOOKMARK', '', 4));
    assert.match(w.violations[0], /BOOKMARK at 4/);
  });

  it('compares the final view and the acknowledged writes', () => {
    const w = recorder();
    w.accept(ev('ADDED', 'a1', 5, 0));
    const diff = w.diffAgainst([{ metadata: { name: 'a1', resourceVersion: '6' }, data: { n: '1' } }], () => true);
    assert.match(diff[0], /listed at rv=6 n=1, watcher's last state rv=5 n=0/);
    assert.deepEqual(missedAckedWrites(w, [{ type: 'MODIFIED', name: 'a1', rv: 6 }]), ['w: never saw acknowledged MODIFIED a1@6']);
  });
});

describe('ledger checks', () => {
  it('bounds the counter by acknowledged and ambiguous updates', () => {
    const l = newLedger('a1', 'acked');
    l.ackedUpdates = 3;
    l.ambiguousUpdates = 1;
    assert.equal(finalProblem(l, { rv: '9', n: 3 }), undefined);
    assert.equal(finalProblem(l, { rv: '9', n: 4 }), undefined);
    assert.match(finalProblem(l, { rv: '9', n: 2 })!, /outside \[3, 4\]/);
    assert.match(finalProblem(l, { rv: '9', n: 5 })!, /outside \[3, 4\]/);
    assert.match(finalProblem(l, undefined)!, /missing/);
  });

  it('requires acknowledged deletes to stick and tolerates unknown creates', () => {
    const d = newLedger('a2', 'acked');
    d.delete = 'acked';
    assert.match(finalProblem(d, { rv: '3', n: 0 })!, /delete was acknowledged/);
    assert.equal(finalProblem(d, undefined), undefined);
    const u = newLedger('a3', 'ambiguous');
    assert.equal(finalProblem(u, undefined), undefined);
    assert.equal(finalProblem(u, { rv: '4', n: 0 }), undefined);
    assert.match(finalProblem(u, { rv: '4', n: 1 })!, /no answer/);
  });
});
