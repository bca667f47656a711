// The audit log file: lines appended, rotation by size, old backups pruned.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLogFile } from './log-file.js';

test('rotates at the size limit and keeps the newest backups', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'audit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let clock = Date.parse('2026-01-01T00:00:00Z');
  const f = new AuditLogFile(join(dir, 'audit.log'), { maxSizeMB: 1, maxBackups: 2, clock: () => new Date((clock += 1000)) });
  const line = 'x'.repeat(400 * 1024);
  for (let i = 0; i < 8; i++) f.write(`${i}${line}`);
  f.close();
  const files = readdirSync(dir).sort();
  assert.equal(files.length, 3, files.join(','));
  assert.deepEqual(files.filter((x) => x !== 'audit.log').map((x) => /^audit-2026-01-01T00-00-\d\d\.000\.log$/.test(x)), [true, true]);
  const current = readFileSync(join(dir, 'audit.log'), 'utf8').trim().split('\n');
  assert.deepEqual(current.map((l) => l[0]), ['6', '7'], 'two 400 KiB lines fit in 1 MiB; a third rotates');
});
