// The sqlite backend: the shared conformance suite, plus persistence across
// reopen, group commit, and durability of acknowledged writes under SIGKILL.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { runStoreConformance } from '../conformance.js';
import { KeyExistsError } from '../types.js';
import { openSqliteStore } from './sqlite-store.js';

async function tempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'workplane-sqlite-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

runStoreConformance('sqlite', async () => {
  const { dir, remove } = await tempDir();
  const store = openSqliteStore({ dataDir: dir });
  return { store, cleanup: async () => (await store.close(), await remove()) };
});

describe('sqlite specifics', () => {
  it('keeps data, revisions and the compaction point across close and reopen', async () => {
    const { dir, remove } = await tempDir();
    try {
      let s = openSqliteStore({ dataDir: dir });
      const a = await s.create('/p/a', 'a');
      const b = await s.create('/p/b', 'b');
      await s.compact(a.modRevision);
      const gone = await s.delete('/p/b');
      await s.close();
      s = openSqliteStore({ dataDir: dir });
      assert.deepEqual((await s.range('/p/')).items, [a]);
      assert.equal(await s.currentRevision(), gone.modRevision);
      assert.equal(await s.compactedRevision(), a.modRevision);
      const c = await s.create('/p/c', 'c');
      assert.equal(c.modRevision, gone.modRevision + 1);
      assert.ok(b.modRevision < c.modRevision);
      await s.close();
    } finally {
      await remove();
    }
  });

  it('continues revisions after the newest log row was compacted away', async () => {
    const { dir, remove } = await tempDir();
    try {
      let s = openSqliteStore({ dataDir: dir });
      await s.create('/t/a', 'a');
      const del = await s.delete('/t/a');
      await s.compact(del.modRevision); // drops the tombstone, the highest row
      await s.close();
      s = openSqliteStore({ dataDir: dir });
      assert.equal(await s.currentRevision(), del.modRevision);
      assert.equal((await s.create('/t/b', 'b')).modRevision, del.modRevision + 1);
      await s.close();
    } finally {
      await remove();
    }
  });

  it('commits one turn of writes together; each op fails alone, successes take consecutive revisions', async () => {
    const { dir, remove } = await tempDir();
    const s = openSqliteStore({ dataDir: dir });
    try {
      const base = await s.create('/g/dup', 'x');
      const results = await Promise.allSettled([
        s.create('/g/1', '1'),
        s.create('/g/dup', 'again'),
        s.create('/g/2', '2'),
        s.delete('/g/dup', base.modRevision),
        s.create('/g/dup', 'new'),
      ]);
      const revs = results.map((r) => (r.status === 'fulfilled' ? r.value.modRevision : 0));
      assert.ok(results[1].status === 'rejected' && results[1].reason instanceof KeyExistsError);
      const ok = revs.filter((r) => r > 0);
      assert.deepEqual(ok, [base.modRevision + 1, base.modRevision + 2, base.modRevision + 3, base.modRevision + 4]);
      assert.equal((await s.get('/g/dup'))?.value, 'new');
    } finally {
      await s.close();
      await remove();
    }
  });

  it('keeps every acknowledged write when the process is killed mid-stream', { timeout: 60_000 }, async () => {
    const { dir, remove } = await tempDir();
    try {
      const acked = await runAndKill(dir, 300);
      assert.ok(acked.size >= 300);
      const s = openSqliteStore({ dataDir: dir });
      try {
        let maxRev = 0;
        for (const [key, rev] of acked) {
          const kv = await s.get(key);
          assert.equal(kv?.modRevision, rev, `acknowledged ${key}@${rev} lost`);
          maxRev = Math.max(maxRev, rev);
        }
        assert.ok((await s.create('/after-crash', '1')).modRevision > maxRev);
      } finally {
        await s.close();
      }
    } finally {
      await remove();
    }
  });
});

/** Runs crash-writer until it has acknowledged `atLeast` keys, then SIGKILLs it. */
function runAndKill(dir: string, atLeast: number): Promise<Map<string, number>> {
  const script = fileURLToPath(new URL('./crash-writer.js', import.meta.url));
  const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acked = new Map<string, number>();
  let buf = '';
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const line of lines) {
        const [key, rev] = line.split(' ');
        acked.set(key, Number(rev));
      }
      if (acked.size >= atLeast && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`crash writer exited early (${code})`));
    });
  });
}
