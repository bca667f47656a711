import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RenewalScheduler, renewAt } from './renewal.js';
import { FakeClock } from './testing.js';

test('renewal is due at 4/5 of the lifetime counted from issuance', () => {
  assert.equal(renewAt(0, 10_000), 8_000);
  assert.equal(renewAt(1_000, 86_401_000), 1_000 + 0.8 * 86_400_000);
  assert.equal(renewAt(5_000, 1_000), 5_000); // already expired: due now
});

test('the scheduler fires at the time given, once, and cancel or reschedule replace it', () => {
  const clock = new FakeClock();
  const fired: string[] = [];
  const s = new RenewalScheduler<string>((k) => fired.push(`${k}@${clock.now()}`), clock);
  const t0 = clock.now();
  s.schedule('a', t0 + 800);
  s.schedule('b', t0 + 500);
  s.cancel('b');
  s.schedule('c', t0 + 100);
  s.schedule('c', t0 + 900);
  clock.advance(799);
  assert.deepEqual(fired, []);
  clock.advance(1);
  assert.deepEqual(fired, [`a@${t0 + 800}`]);
  clock.advance(10_000);
  assert.deepEqual(fired, [`a@${t0 + 800}`, `c@${t0 + 900}`]);
  assert.equal(s.size, 0);
});

test('delays beyond setTimeout range are reached in steps', () => {
  const clock = new FakeClock();
  const fired: number[] = [];
  const s = new RenewalScheduler<string>(() => fired.push(clock.now()), clock);
  const at = clock.now() + 40 * 86_400_000; // 40 days
  s.schedule('k', at);
  clock.advance(30 * 86_400_000);
  assert.deepEqual(fired, []);
  assert.equal(s.scheduledAt('k'), at);
  clock.advance(10 * 86_400_000);
  assert.deepEqual(fired, [at]);
});
