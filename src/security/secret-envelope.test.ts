import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { needsResealing, open, seal } from './secret-envelope.js';
import { parseSecretsKeyring } from './secrets-keyring.js';

const ring = (...keys: Buffer[]) => parseSecretsKeyring(keys.map((k) => k.toString('base64')).join('\n'), 'test');
const [k1, k2] = [randomBytes(32), randomBytes(32)];

test('seals with AES-256-GCM under the primary key and opens again', () => {
  const env = seal('the CA key', '/a', ring(k1));
  assert.equal(env.encryption, 'aes-256-gcm');
  assert.ok(!JSON.stringify(env).includes('the CA key'));
  assert.equal(open(env, '/a', ring(k1), 'rec'), 'the CA key');
  // Fresh nonce per seal: the same text never gives the same ciphertext.
  assert.notDeepEqual(seal('the CA key', '/a', ring(k1)), env);
});

test('refuses a wrong key, a missing key, a moved record and tampering', () => {
  const env = seal('secret', '/a', ring(k1));
  assert.throws(() => open(env, '/a', ring(k2), 'rec'), /rec is encrypted with key [0-9a-f]{16}, which is not in --secrets-key-file/);
  assert.throws(() => open(env, '/a', undefined, 'rec'), /rec is encrypted .*start with --secrets-key-file/);
  assert.throws(() => open(env, '/b', ring(k1), 'rec'), /does not decrypt .*altered, or moved/);
  if (env.encryption !== 'aes-256-gcm') throw new Error('sealed');
  const flipped = Buffer.from(env.ciphertext, 'base64');
  flipped[0] ^= 1;
  assert.throws(() => open({ ...env, ciphertext: flipped.toString('base64') }, '/a', ring(k1), 'rec'), /does not decrypt/);
});

test('older keys open; records under them, or in plaintext, want resealing', () => {
  const old = seal('secret', '/a', ring(k1));
  const rotated = ring(k2, k1);
  assert.equal(open(old, '/a', rotated, 'rec'), 'secret');
  assert.equal(needsResealing(old, rotated), true);
  assert.equal(needsResealing(seal('secret', '/a', rotated), rotated), false);
  const plain = seal('secret', '/a', undefined);
  assert.deepEqual(plain, { encryption: 'none', plaintext: 'secret' });
  assert.equal(open(plain, '/a', undefined, 'rec'), 'secret');
  assert.equal(needsResealing(plain, ring(k1)), true);
  assert.equal(needsResealing(old, undefined), false, 'never downgraded to plaintext');
});
