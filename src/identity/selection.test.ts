import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectIdentity, type Selectable } from './selection.js';

const mi = (name: string, matchLabels?: Record<string, string>, mesh = 'default'): Selectable => ({ name, mesh, matchLabels });
const labels = { 'kuma.io/workload': 'demo', app: 'web', tier: 'front' };

test('the identity with the most matchLabels wins', () => {
  const all = [mi('a-all', {}), mi('b-one', { app: 'web' }), mi('c-two', { app: 'web', tier: 'front' })];
  assert.equal(selectIdentity(labels, 'default', all)?.name, 'c-two');
});

test('ties go to the name that sorts first, whatever the order given', () => {
  const x = mi('x', { app: 'web' });
  const b = mi('b', { tier: 'front' });
  assert.equal(selectIdentity(labels, 'default', [x, b])?.name, 'b');
  assert.equal(selectIdentity(labels, 'default', [b, x])?.name, 'b');
});

test('every matchLabel must match; empty matchLabels select all; no selector selects nothing', () => {
  assert.equal(selectIdentity(labels, 'default', [mi('m', { app: 'web', tier: 'back' })]), undefined);
  assert.equal(selectIdentity(labels, 'default', [mi('none')]), undefined);
  assert.equal(selectIdentity({}, 'default', [mi('all', {})])?.name, 'all');
});

test('identities of another mesh never select', () => {
  assert.equal(selectIdentity(labels, 'default', [mi('other', { app: 'web' }, 'payments')]), undefined);
  assert.equal(selectIdentity(labels, 'payments', [mi('other', { app: 'web' }, 'payments'), mi('d', { app: 'web' })])?.name, 'other');
});
