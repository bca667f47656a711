import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WatchStream } from './watch-stream.js';

const turn = () => new Promise((r) => setImmediate(r));
const frame = (i: number, size = 0) => Buffer.from(`{"type":"ADDED","object":{"n":${i},"pad":"${'x'.repeat(size)}"}}\n`);

/** A client of one stream: the frames' numbers as they arrive, and how the response ended. */
function client(port: number) {
  const got: number[] = [];
  let res!: IncomingMessage;
  let buf = '';
  const ended = new Promise<'end' | 'aborted'>((resolve) => {
    const req = request({ port, path: '/' }, (r) => {
      res = r;
      r.setEncoding('utf8');
      r.on('data', (c: string) => {
        buf += c;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          got.push((JSON.parse(buf.slice(0, nl)) as { object: { n: number } }).object.n);
          buf = buf.slice(nl + 1);
        }
      });
      r.on('end', () => resolve('end'));
      r.on('aborted', () => resolve('aborted'));
    });
    req.on('error', () => resolve('aborted'));
    req.end();
  });
  return { got, ended, response: () => res };
}

describe('WatchStream', () => {
  let server: Server;
  let port: number;
  const waiting: ((res: ServerResponse) => void)[] = [];

  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
      waiting.shift()!(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  /** Opens a client and resolves with the server's side of its response. */
  const open = async () => {
    const res = new Promise<ServerResponse>((r) => waiting.push(r));
    const c = client(port);
    return { c, res: await res };
  };

  it('sends the frames of one turn in one write, in order', async () => {
    const { c, res } = await open();
    const s = new WatchStream(res, { watchBufferBytes: 1 << 20, watchDrainTimeoutMs: 10_000 }, () => assert.fail('cut off'));
    s.goLive();
    while (!c.response()) await turn();
    const socket = res.socket as unknown as { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
    let writes = 0;
    for (const m of ['_write', '_writev'] as const) {
      const orig = socket[m].bind(socket);
      socket[m] = (...a: unknown[]) => (writes++, orig(...a));
    }
    for (let i = 0; i < 10; i++) s.write(frame(i));
    await turn();
    await turn();
    assert.equal(writes, 1, 'one write for the whole turn');
    for (let i = 10; i < 13; i++) s.write(frame(i));
    s.end();
    assert.equal(await c.ended, 'end');
    assert.deepEqual(c.got, Array.from({ length: 13 }, (_, i) => i));
  });

  it('cuts off a client that stops reading, cleanly and once, while another keeps receiving everything', async () => {
    const slow = await open();
    const fast = await open();
    while (!slow.c.response()) await turn();
    slow.c.response().pause();
    let cutOffs = 0;
    const limits = { watchBufferBytes: 64 * 1024, watchDrainTimeoutMs: 60_000 };
    const s1 = new WatchStream(slow.res, limits, () => cutOffs++);
    const s2 = new WatchStream(fast.res, limits, () => assert.fail('the reading client was cut off'));
    s1.goLive();
    s2.goLive();
    let n = 0;
    // Kernel buffers take some megabytes before anything stays queued in the process; then 64 KiB more is too much.
    for (; cutOffs === 0 && n < 20_000; n++) {
      s1.write(frame(n, 16 * 1024));
      s2.write(frame(n, 16 * 1024));
      await turn();
    }
    assert.equal(cutOffs, 1, 'the stalled client was cut off');
    assert.equal(s1.closed, true);
    for (let i = 0; i < 10; i++, n++) {
      s1.write(frame(n)); // ignored: it is closed
      s2.write(frame(n));
    }
    s2.end();
    assert.equal(await fast.c.ended, 'end');
    assert.deepEqual(fast.c.got, Array.from({ length: n }, (_, i) => i), 'the other client got every frame in order');
    slow.c.response().resume();
    assert.equal(await slow.c.ended, 'end', 'the stalled client sees a clean end once it reads again');
    assert.ok(slow.c.got.length < n);
    assert.deepEqual(slow.c.got, Array.from({ length: slow.c.got.length }, (_, i) => i), 'what it got has no gap');
    assert.equal(cutOffs, 1);
  });

  it('does not hold the initial events to the bound: only the live backlog counts', async () => {
    const { c, res } = await open();
    while (!c.response()) await turn();
    c.response().pause();
    let cutOffs = 0;
    const s = new WatchStream(res, { watchBufferBytes: 64 * 1024, watchDrainTimeoutMs: 60_000 }, () => cutOffs++);
    // Far more initial bytes than the bound, unread.
    let n = 0;
    for (; n < 1000; n++) s.write(frame(n, 16 * 1024));
    await turn();
    s.goLive();
    s.write(frame(n++));
    await turn();
    await turn();
    assert.equal(cutOffs, 0, 'a small live backlog behind a large initial list is fine');
    for (let i = 0; i < 20 && cutOffs === 0; i++, n++) {
      s.write(frame(n, 16 * 1024));
      await turn();
    }
    assert.equal(cutOffs, 1, 'a live backlog over the bound is not');
    c.response().resume();
    assert.equal(await c.ended, 'end');
    assert.deepEqual(c.got, Array.from({ length: c.got.length }, (_, i) => i));
  });
});
