import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogLine } from '../testing/log-lines.js';
import { createLogger, defaultLogFormat, parseLogFormat, SHADOWED_MSG_KEY } from './logger.js';

function collector() {
  const lines: string[] = [];
  return { lines, destination: { write: (s: string) => void lines.push(...s.split('\n').filter((l) => l !== '')) } };
}

describe('createLogger', () => {
  it('json: a msg key in the logged object does not duplicate the message', () => {
    const c = collector();
    const log = createLogger({ level: 'info', format: 'json', destination: c.destination });
    log.warn({ msg: 'certificate request refused' }, 'control plane');
    log.info({ msg: 'alone' });
    assert.equal(c.lines.length, 2);
    assert.equal((c.lines[0]!.match(/"msg":/g) ?? []).length, 1, c.lines[0]);
    const rec = parseLogLine(c.lines[0]!);
    assert.equal(rec.msg, 'control plane');
    assert.equal(rec[SHADOWED_MSG_KEY], 'certificate request refused');
    assert.equal(rec.component, 'workplane');
    assert.equal(parseLogLine(c.lines[1]!).msg, 'alone');
  });

  it('text: one line per record, errors included, with level, message and fields', () => {
    const c = collector();
    const log = createLogger({ level: 'debug', format: 'text', destination: c.destination, colorize: false });
    log.info({ url: 'https://127.0.0.1:6443' }, 'control plane started');
    log.error({ err: new Error('boom\nsecond line') }, 'request failed');
    log.warn({ msg: 'inner' }, 'outer');
    log.debug('plain');
    assert.equal(c.lines.length, 4, c.lines.join('\n'));
    assert.match(c.lines[0]!, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: control plane started \{.*"url":"https:\/\/127\.0\.0\.1:6443".*\}$/);
    assert.match(c.lines[1]!, /^\[.*\] ERROR: request failed \{.*"err":\{"type":"Error","message":"boom\\nsecond line","stack":"Error: boom\\nsecond line\\n/);
    assert.match(c.lines[2]!, /WARN: outer \{.*"detail":"inner"/);
    assert.match(c.lines[3]!, /DEBUG: plain/);
  });

  it('level filters records', () => {
    const c = collector();
    const log = createLogger({ level: 'warn', format: 'json', destination: c.destination });
    log.info('hidden');
    log.warn('shown');
    assert.deepEqual(c.lines.map((l) => parseLogLine(l).msg), ['shown']);
  });
});

describe('log format choice', () => {
  it('defaults to text on a terminal and json otherwise', () => {
    assert.equal(defaultLogFormat({ isTTY: true }), 'text');
    assert.equal(defaultLogFormat({ isTTY: false }), 'json');
    assert.equal(defaultLogFormat({}), 'json');
    assert.equal(parseLogFormat(undefined, { isTTY: true }), 'text');
    assert.equal(parseLogFormat('json', { isTTY: true }), 'json');
    assert.equal(parseLogFormat('text', {}), 'text');
  });

  it('refuses other values, naming the flag', () => {
    assert.throws(() => parseLogFormat('pretty'), /--log-format must be text or json, not "pretty"/);
  });
});
