import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter, parseWatchLine, watchEvents, WatchProtocolError } from './watch-lines.js';

const ev = (type: string, name: string, rv: string) => JSON.stringify({ type, object: { metadata: { name, resourceVersion: rv } } });

/** A body that delivers exactly these byte chunks. */
function body(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({ pull: (c) => (i < chunks.length ? c.enqueue(chunks[i++]) : c.close()) });
}

describe('LineSplitter', () => {
  it('returns only complete lines, joining pieces of a line split across chunks', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('{"a":'), []);
    assert.deepEqual(s.push('1}'), []);
    assert.deepEqual(s.push('\n{"b":2}\n{"c"'), ['{"a":1}', '{"b":2}']);
    assert.deepEqual(s.push(':3}\n'), ['{"c":3}']);
    assert.deepEqual(s.end(), []);
  });

  it('drops blank lines and CR of CRLF endings, and hands out an unterminated last line at the end', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('x\r\n\n  \ny'), ['x']);
    assert.deepEqual(s.end(), ['y']);
    assert.deepEqual(s.end(), []);
  });
});

describe('parseWatchLine', () => {
  it('parses each event type', () => {
    assert.deepEqual(parseWatchLine(ev('ADDED', 'a', '5')), { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '5' } } });
    const err = parseWatchLine(JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } }));
    assert.equal(err.type, 'ERROR');
    assert.equal(err.type === 'ERROR' && err.object.code, 410);
  });

  it('refuses lines that are not watch events, saying what is wrong', () => {
    assert.throws(() => parseWatchLine('{nope'), (e: Error) => e instanceof WatchProtocolError && /not JSON/.test(e.message));
    assert.throws(() => parseWatchLine('[1]'), /unknown event type/);
    assert.throws(() => parseWatchLine('{"type":"CHANGED","object":{}}'), /unknown event type "CHANGED"/);
    assert.throws(() => parseWatchLine('{"type":"ADDED"}'), /ADDED event without an object/);
    assert.throws(() => parseWatchLine('{"type":"MODIFIED","object":{"kind":"Pod"}}'), /MODIFIED object without metadata/);
  });
});

describe('watchEvents', () => {
  it('decodes events whose bytes, even a multi-byte character, are split across chunks', async () => {
    const text = `${ev('ADDED', 'café', '1')}\n${ev('MODIFIED', 'b', '2')}\n${ev('DELETED', 'b', '3')}`;
    const bytes = new TextEncoder().encode(text);
    const cut = text.indexOf('é') + 1; // inside the two bytes of é
    const chunks = [bytes.slice(0, cut), bytes.slice(cut, cut + 40), bytes.slice(cut + 40)];
    const got: string[] = [];
    for await (const e of watchEvents(body(chunks))) got.push(`${e.type} ${e.type === 'ERROR' ? '' : e.object.metadata.name}`);
    assert.deepEqual(got, ['ADDED café', 'MODIFIED b', 'DELETED b']);
  });

  it('cancels the response when the consumer stops early, so the connection is released', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode(`${ev('ADDED', 'a', '1')}\n`)),
      cancel: () => void (cancelled = true),
    });
    for await (const e of watchEvents(stream)) {
      assert.equal(e.type, 'ADDED');
      break;
    }
    assert.equal(cancelled, true);
  });

  it('ends when the signal aborts while waiting for data', async () => {
    const stream = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) });
    const abort = new AbortController();
    const done = (async () => {
      const got = [];
      for await (const e of watchEvents(stream, abort.signal)) got.push(e);
      return got;
    })();
    abort.abort();
    assert.deepEqual(await done, []);
  });
});
