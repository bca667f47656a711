import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { goDuration, rfc3339Nano } from './clock.js';
import { CrashBackoff } from './crash-backoff.js';
import { readLog } from './log-reader.js';
import { LogWriter } from './log-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'wp-logfile-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

async function text(s: Readable): Promise<string> {
  let out = '';
  for await (const chunk of s) out += String(chunk);
  return out;
}

function writerWith(lines: string[]): LogWriter {
  const w = new LogWriter(join(dir, `${n++}.log`));
  for (const l of lines) w.line('stdout', l);
  return w;
}

describe('clock', () => {
  it('formats nanosecond timestamps as Go RFC3339Nano', () => {
    assert.equal(rfc3339Nano(1_700_000_000_123_456_789n), '2023-11-14T22:13:20.123456789Z');
    assert.equal(rfc3339Nano(1_700_000_000_120_000_000n), '2023-11-14T22:13:20.12Z');
    assert.equal(rfc3339Nano(1_700_000_000_000_000_000n), '2023-11-14T22:13:20Z');
  });
  it('formats durations as Go does', () => {
    assert.deepEqual([10_000, 20_000, 80_000, 160_000, 300_000, 50, 1500, 3_600_000].map(goDuration), ['10s', '20s', '1m20s', '2m40s', '5m0s', '50ms', '1.5s', '1h0m0s']);
  });
});

describe('CrashBackoff', () => {
  it('restarts at once after the first crash, then doubles up to the cap', () => {
    const b = new CrashBackoff(10, 40);
    assert.equal(b.remaining(0, 0), 0);
    b.next(0, 0);
    assert.equal(b.remaining(5, 5), 10);
    assert.equal(b.remaining(5, 12), 3);
    b.next(5, 15);
    assert.equal(b.current, 20);
    b.next(30, 50);
    b.next(60, 100);
    assert.equal(b.current, 40);
  });
  it('starts over after a long healthy run', () => {
    const b = new CrashBackoff(10, 40);
    b.next(0, 0);
    b.next(10, 10);
    assert.equal(b.remaining(1000, 1000), 0);
    b.next(1000, 1000);
    assert.equal(b.current, 10);
  });
});

describe('log writer and reader', () => {
  it('stores CRI records and reads them back as text', async () => {
    const w = writerWith(['one', 'two', 'three']);
    w.close();
    const raw = readFileSync(w.path, 'utf8');
    assert.match(raw.split('\n')[0]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z stdout F one$/);
    assert.equal(await text(readLog(w.path, {})), 'one\ntwo\nthree\n');
  });

  it('tails, prefixes timestamps, limits bytes and filters by age', async () => {
    const w = writerWith(['one', 'two', 'three']);
    w.close();
    assert.equal(await text(readLog(w.path, { tailLines: 2 })), 'two\nthree\n');
    assert.equal(await text(readLog(w.path, { tailLines: 0 })), '');
    assert.equal(await text(readLog(w.path, { tailLines: 10 })), 'one\ntwo\nthree\n');
    const stamped = (await text(readLog(w.path, { timestamps: true, tailLines: 1 }))).trimEnd();
    assert.match(stamped, /^\S+Z three$/);
    assert.ok(Math.abs(Date.parse(stamped.split(' ')[0]!) - Date.now()) < 60_000);
    assert.equal(await text(readLog(w.path, { limitBytes: 6 })), 'one\ntw');
    assert.equal(await text(readLog(w.path, { sinceSeconds: 3600 })), 'one\ntwo\nthree\n');
  });

  it('splits stream output into lines, keeps partial lines and separates streams', async () => {
    const w = new LogWriter(join(dir, `${n++}.log`));
    const out = new PassThrough();
    const err = new PassThrough();
    const attached = Promise.all([w.attach(out, 'stdout'), w.attach(err, 'stderr')]);
    out.write('a\nb');
    err.write('E\n');
    out.end('c\nno newline');
    err.end();
    await attached;
    w.close();
    assert.equal(await text(readLog(w.path, {})), 'a\nE\nbc\nno newline');
    assert.match(readFileSync(w.path, 'utf8'), / stderr F E\n/);
  });

  it('follows a live log until it closes', async () => {
    const w = writerWith(['first']);
    const stream = readLog(w.path, { follow: true }, w);
    let got = '';
    stream.on('data', (c) => (got += String(c)));
    const ended = new Promise((r) => stream.on('end', r));
    while (!got.includes('first')) await new Promise((r) => setImmediate(r));
    w.line('stdout', 'second');
    while (!got.includes('second')) await new Promise((r) => setImmediate(r));
    w.line('stdout', 'third');
    w.close();
    await ended;
    assert.equal(got, 'first\nsecond\nthird\n');
  });

  it('a destroyed follower stops waiting', async () => {
    const w = writerWith(['x']);
    const stream = readLog(w.path, { follow: true }, w);
    stream.resume();
    await new Promise((r) => setTimeout(r, 20));
    const closed = new Promise((r) => stream.on('close', r));
    stream.destroy();
    await closed;
    w.close();
  });
});
