import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyId, parseSecretsKeyring, readSecretsKeyring, SecretsKeyError } from './secrets-keyring.js';

const b64 = (n: number) => randomBytes(n).toString('base64');

test('reads one key per line; the first seals, all open', () => {
  const [a, b] = [b64(32), b64(32)];
  const ring = parseSecretsKeyring(`# rotated on Monday\n${a}\n\n  ${b}  \n`, 'f');
  assert.equal(ring.primary.id, keyId(Buffer.from(a, 'base64')));
  assert.deepEqual([...ring.byId.keys()], [keyId(Buffer.from(a, 'base64')), keyId(Buffer.from(b, 'base64'))]);
  assert.match(ring.primary.id, /^[0-9a-f]{16}$/);
});

test('refuses keys of the wrong size, non-base64 lines and empty files, naming the line', () => {
  assert.throws(() => parseSecretsKeyring(`${b64(32)}\n${b64(16)}\n`, 'k.txt'), (e: Error) => e instanceof SecretsKeyError && /k\.txt: line 2 holds 16 bytes, not 32/.test(e.message) && /head -c 32 \/dev\/urandom \| base64/.test(e.message));
  assert.throws(() => parseSecretsKeyring('not a key!\n', 'k.txt'), /line 1 is not base64/);
  assert.throws(() => parseSecretsKeyring('# nothing\n\n', 'k.txt'), /no key in the file/);
});

test('reads the file, and warns when others may read it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'workplane-keyring-'));
  try {
    const path = join(dir, 'secrets.key');
    await writeFile(path, b64(32) + '\n', { mode: 0o600 });
    assert.equal((await readSecretsKeyring(path)).warning, undefined);
    await chmod(path, 0o644);
    assert.match((await readSecretsKeyring(path)).warning ?? '', /readable by other users \(mode 0644\)/);
    await assert.rejects(readSecretsKeyring(join(dir, 'missing.key')), /--secrets-key-file .*missing\.key: ENOENT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
