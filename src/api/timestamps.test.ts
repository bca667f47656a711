import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalTime, parseRfc3339 } from './timestamps.js';

test('canonicalTime: UTC, whole seconds for Time, six digits for MicroTime', () => {
  assert.equal(canonicalTime('2026-12-06T19:17:00Z', 'seconds'), '2026-12-06T19:17:00Z');
  assert.equal(canonicalTime('2026-12-06T19:17:00+00:00', 'seconds'), '2026-12-06T19:17:00Z');
  assert.equal(canonicalTime('2026-12-06T19:17:00.987654321-01:30', 'seconds'), '2026-12-06T20:47:00Z');
  assert.equal(canonicalTime('2026-01-01T00:30:00+01:00', 'seconds'), '2025-12-31T23:30:00Z');
  assert.equal(canonicalTime('2026-12-06T19:17:00+00:00', 'micro'), '2026-12-06T19:17:00.000000Z');
  assert.equal(canonicalTime('2026-12-06T19:17:00.5Z', 'micro'), '2026-12-06T19:17:00.500000Z');
  assert.equal(canonicalTime('2026-12-06T19:17:00.1234567Z', 'micro'), '2026-12-06T19:17:00.123456Z');
  assert.equal(canonicalTime('0050-02-28T00:00:00Z', 'seconds'), '0050-02-28T00:00:00Z');
  assert.equal(canonicalTime('2024-02-29T1:02:03Z', 'seconds'), '2024-02-29T01:02:03Z');
});

test('parseRfc3339: Go time.Parse(RFC3339) errors, word for word', () => {
  const layout = '"2006-01-02T15:04:05Z07:00"';
  const cases: [string, string][] = [
    ['yesterday', `parsing time "yesterday" as ${layout}: cannot parse "yesterday" as "2006"`],
    ['2024-13-01T00:00:00Z', 'parsing time "2024-13-01T00:00:00Z": month out of range'],
    ['2023-02-29T00:00:00Z', 'parsing time "2023-02-29T00:00:00Z": day out of range'],
    ['2024-01-01 00:00:00Z', `parsing time "2024-01-01 00:00:00Z" as ${layout}: cannot parse " 00:00:00Z" as "T"`],
    ['2024-01-01T00:00:00', `parsing time "2024-01-01T00:00:00" as ${layout}: cannot parse "" as "Z07:00"`],
    ['2024-01-01T24:00:00Z', 'parsing time "2024-01-01T24:00:00Z": hour out of range'],
    ['2024-01-01T00:60:00Z', 'parsing time "2024-01-01T00:60:00Z": minute out of range'],
    ['2024-1-01T00:00:00Z', `parsing time "2024-1-01T00:00:00Z" as ${layout}: cannot parse "1-01T00:00:00Z" as "01"`],
    ['2024-01-01T00:00:00Zjunk', 'parsing time "2024-01-01T00:00:00Zjunk": extra text: "junk"'],
    ['2024-01-01T00:00:00+0100', `parsing time "2024-01-01T00:00:00+0100" as ${layout}: cannot parse "+0100" as "Z07:00"`],
  ];
  for (const [value, message] of cases) assert.equal(parseRfc3339(value), message, value);
});
