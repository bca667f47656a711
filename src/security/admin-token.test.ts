import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateAdminToken } from './admin-token.js';

async function withDataDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'workplane-admin-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('generates a 32-byte base64url token once, mode 0600', () =>
  withDataDir(async (dir) => {
    const token = await loadOrCreateAdminToken(dir);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(Buffer.from(token, 'base64url').length, 32);
    assert.equal(await loadOrCreateAdminToken(dir), token);
    assert.equal((await readFile(join(dir, 'admin.token'), 'utf8')).trim(), token);
    assert.equal((await stat(join(dir, 'admin.token'))).mode & 0o777, 0o600);
  }));

test('keeps an operator-provided token and tightens its mode', () =>
  withDataDir(async (dir) => {
    const path = join(dir, 'admin.token');
    await writeFile(path, 'my-own-long-admin-token\n', { mode: 0o644 });
    assert.equal(await loadOrCreateAdminToken(dir), 'my-own-long-admin-token');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  }));

test('replaces a token too short to be safe', () =>
  withDataDir(async (dir) => {
    await writeFile(join(dir, 'admin.token'), 'short\n');
    assert.match(await loadOrCreateAdminToken(dir), /^[A-Za-z0-9_-]{43}$/);
  }));
