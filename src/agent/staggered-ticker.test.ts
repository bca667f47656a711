import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually } from '../client/testing.js';
import { silentLogger } from '../client/logger.js';
import { StaggeredTicker } from './staggered-ticker.js';

describe('staggered ticker', () => {
  it('beats every name once per period, one slot per tick, never two beats of a name at once', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    const beats = new Map<string, number>();
    const inFlight = new Set<string>();
    let overlaps = 0;
    let maxConcurrent = 0;
    const ticker = new StaggeredTicker({
      periodMs: 30,
      tickMs: 10,
      concurrency: 2,
      names: () => names,
      log: silentLogger,
      what: 'test beat',
      beat: async (name) => {
        if (inFlight.has(name)) overlaps++;
        inFlight.add(name);
        maxConcurrent = Math.max(maxConcurrent, inFlight.size);
        await new Promise((r) => setTimeout(r, 5));
        inFlight.delete(name);
        beats.set(name, (beats.get(name) ?? 0) + 1);
      },
    });
    ticker.start();
    await eventually(() => names.every((n) => (beats.get(n) ?? 0) >= 3), 'three beats each');
    await ticker.stop();
    assert.equal(overlaps, 0);
    assert.ok(maxConcurrent <= 2, `at most 2 in flight, saw ${maxConcurrent}`);
  });
});
