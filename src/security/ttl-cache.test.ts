import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TtlCache } from './ttl-cache.js';

test('evicts the least recently used entry beyond the bound', () => {
  const cache = new TtlCache<string, number>(2, () => 0);
  cache.set('a', 1, 100);
  cache.set('b', 2, 100);
  assert.equal(cache.get('a'), 1); // a is now the most recent
  cache.set('c', 3, 100);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('c'), 3);
  assert.equal(cache.size, 2);
});

test('forgets entries at their expiry', () => {
  let now = 0;
  const cache = new TtlCache<string, number>(10, () => now);
  cache.set('a', 1, 50);
  cache.set('gone', 2, 0);
  assert.equal(cache.get('gone'), undefined);
  now = 49;
  assert.equal(cache.get('a'), 1);
  now = 50;
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.size, 0);
});
