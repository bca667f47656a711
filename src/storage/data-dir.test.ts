// File modes in the data directory: the SQLite files (database, WAL, SHM) are
// 0600 from their creation, and start-up brings what the server keeps there
// back to 0600 / 0700 whatever modes an earlier run or a restore left.

import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { secureDataDir } from './data-dir.js';
import { openSqliteStore } from './sqlite/sqlite-store.js';

const mode = (p: string) => statSync(p).mode & 0o777;
const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'wp-modes-'));
  dirs.push(d);
  return d;
};

describe('data directory file modes', () => {
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('creates state.db and the files SQLite derives from it 0600, even under a permissive umask', async () => {
    const old = process.umask(0o022);
    try {
      const dir = join(fresh(), 'data');
      const store = openSqliteStore({ dataDir: dir });
      await store.create('/k', 'v');
      const files = readdirSync(dir).sort();
      // Exclusive locking keeps the WAL index in memory, so there may be no -shm file.
      assert.ok(files.includes('state.db') && files.includes('state.db-wal'), files.join());
      for (const f of files) assert.equal(mode(join(dir, f)).toString(8), '600', f);
      assert.equal(mode(dir).toString(8), '700');
      await store.close();
    } finally {
      process.umask(old);
    }
  });

  it('makes an existing world-readable database private before opening it', async () => {
    const dir = fresh();
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'state.db'), '');
    chmodSync(join(dir, 'state.db'), 0o644);
    const store = openSqliteStore({ dataDir: dir });
    await store.create('/k', 'v');
    for (const f of readdirSync(dir)) assert.equal(mode(join(dir, f)).toString(8), '600', f);
    assert.equal(mode(dir).toString(8), '700');
    await store.close();
  });

  it('fixes the modes of what the server keeps there, and leaves other files alone', () => {
    const dir = fresh();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'pki', 'old'), { recursive: true });
    chmodSync(join(dir, 'pki'), 0o755);
    chmodSync(join(dir, 'pki', 'old'), 0o777);
    for (const f of ['admin.token', 'kubeconfig', 'state.db-wal', join('pki', 'ca.key'), join('pki', 'old', 'sa.key')]) {
      writeFileSync(join(dir, f), 'secret');
      chmodSync(join(dir, f), 0o644);
    }
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n');
    chmodSync(join(dir, 'run.sh'), 0o755);
    secureDataDir(dir, ['state.db', 'state.db-wal', 'admin.token', 'kubeconfig', 'pki']);
    assert.equal(mode(dir).toString(8), '700');
    for (const d of ['pki', join('pki', 'old')]) assert.equal(mode(join(dir, d)).toString(8), '700', d);
    for (const f of ['admin.token', 'kubeconfig', 'state.db-wal', join('pki', 'ca.key'), join('pki', 'old', 'sa.key')]) {
      assert.equal(mode(join(dir, f)).toString(8), '600', f);
    }
    assert.equal(mode(join(dir, 'run.sh')).toString(8), '755');
  });
});
