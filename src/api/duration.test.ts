import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ageSince, formatAge, formatGoDuration, parseGoDuration } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseGoDuration', () => {
  it('reads Go duration syntax into milliseconds', () => {
    const cases: [string, number][] = [
      ['24h', 24 * H],
      ['1h30m', 90 * M],
      ['90s', 90 * S],
      ['500ms', 500],
      ['10m0s', 10 * M],
      ['1.5h', 90 * M],
      ['.5s', 500],
      ['1.s', 1000],
      ['2h45m30.5s', 2 * H + 45 * M + 30.5 * S],
      ['-1m', -M],
      ['+5s', 5 * S],
      ['0', 0],
      ['-0', 0],
      ['1us', 0.001],
      ['1µs', 0.001],
      ['1μs', 0.001],
      ['100ns', 0.0001],
    ];
    for (const [text, want] of cases) assert.equal(parseGoDuration(text), want, text);
  });

  it('rejects malformed durations with Go messages', () => {
    assert.throws(() => parseGoDuration(''), { message: 'time: invalid duration ""' });
    assert.throws(() => parseGoDuration('-'), { message: 'time: invalid duration "-"' });
    assert.throws(() => parseGoDuration('h'), { message: 'time: invalid duration "h"' });
    assert.throws(() => parseGoDuration('.s'), { message: 'time: invalid duration ".s"' });
    assert.throws(() => parseGoDuration('1h-1m'), { message: 'time: unknown unit "h-" in duration "1h-1m"' });
    assert.throws(() => parseGoDuration('1'), { message: 'time: missing unit in duration "1"' });
    assert.throws(() => parseGoDuration('1h5'), { message: 'time: missing unit in duration "1h5"' });
    assert.throws(() => parseGoDuration('1d'), { message: 'time: unknown unit "d" in duration "1d"' });
    assert.throws(() => parseGoDuration('3 s'), { message: 'time: unknown unit " s" in duration "3 s"' });
  });
});

describe('formatGoDuration', () => {
  it('writes what Go Duration.String() writes', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [90 * M, '1h30m0s'],
      [H, '1h0m0s'],
      [48 * H, '48h0m0s'],
      [90 * S, '1m30s'],
      [10 * S, '10s'],
      [1500, '1.5s'],
      [10 * S + 0.5, '10.0005s'],
      [500, '500ms'],
      [1.5, '1.5ms'],
      [0.001, '1µs'],
      [0.0015, '1.5µs'],
      [0.0001, '100ns'],
      [-90 * S, '-1m30s'],
    ];
    for (const [ms, want] of cases) assert.equal(formatGoDuration(ms), want, String(ms));
  });

  it('round-trips with parseGoDuration', () => {
    for (const text of ['1h30m0s', '1m30s', '500ms', '2h45m30.5s', '1.5µs', '-3m0s']) {
      assert.equal(formatGoDuration(parseGoDuration(text)), text);
    }
  });
});

describe('formatAge', () => {
  it('follows kube HumanDuration thresholds', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [45 * S, '45s'],
      [119 * S + 999, '119s'],
      [2 * M, '2m'],
      [2 * M + 30 * S, '2m30s'],
      [9 * M + 59 * S, '9m59s'],
      [10 * M, '10m'],
      [10 * M + 30 * S, '10m'],
      [179 * M, '179m'],
      [3 * H, '3h'],
      [3 * H + 2 * M, '3h2m'],
      [7 * H + 59 * M, '7h59m'],
      [8 * H + 30 * M, '8h'],
      [47 * H, '47h'],
      [2 * D, '2d'],
      [5 * D + 3 * H, '5d3h'],
      [7 * D + 23 * H, '7d23h'],
      [8 * D + 5 * H, '8d'],
      [729 * D, '729d'],
      [730 * D, '2y'],
      [740 * D, '2y10d'],
      [8 * 365 * D + 3 * D, '8y'],
      [20 * 365 * D, '20y'],
    ];
    for (const [ms, want] of cases) assert.equal(formatAge(ms), want, String(ms));
  });

  it('tolerates a little clock skew but not more', () => {
    assert.equal(formatAge(-1500), '0s');
    assert.equal(formatAge(-1999), '0s');
    assert.equal(formatAge(-2000), '<invalid>');
  });
});

describe('ageSince', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');

  it('ages an RFC 3339 timestamp', () => {
    assert.equal(ageSince('2024-05-01T11:55:00Z', now), '5m');
    assert.equal(ageSince('2024-04-26T09:00:00Z', now), '5d3h');
  });

  it('says <unknown> without a usable timestamp', () => {
    assert.equal(ageSince(undefined, now), '<unknown>');
    assert.equal(ageSince(null, now), '<unknown>');
    assert.equal(ageSince('', now), '<unknown>');
    assert.equal(ageSince('yesterday', now), '<unknown>');
  });
});
