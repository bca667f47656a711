import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../../api/object.js';
import { timeline } from './event-timeline.js';

const ev = (name: string, kind: string, obj: string, time: Record<string, string>, extra: Record<string, unknown> = {}): KObject => ({
  metadata: { name, namespace: 'ns', creationTimestamp: '2026-01-01T00:00:00Z' },
  involvedObject: { kind, name: obj },
  reason: 'R',
  message: ` ${name} happened \n`,
  ...time,
  ...extra,
});

describe('timeline', () => {
  it('orders newest first by the time the event last happened, whichever field carries it', () => {
    const events = [
      ev('legacy', 'Pod', 'a', { lastTimestamp: '2026-01-01T00:00:05Z', firstTimestamp: '2026-01-01T00:00:01Z' }, { count: 4, source: { component: 'kubelet', host: 'n1' } }),
      ev('series', 'Pod', 'b', { eventTime: '2026-01-01T00:00:09.000000Z' }, { reportingComponent: 'scheduler', type: 'Warning' }),
      ev('untimed', 'Node', 'n1', {}),
    ];
    const t = timeline(events);
    assert.deepEqual(t.map((e) => e.key), ['ns/series', 'ns/legacy', 'ns/untimed']);
    assert.deepEqual(t[1], { key: 'ns/legacy', time: '2026-01-01T00:00:05Z', type: 'Normal', reason: 'R', namespace: 'ns', object: 'Pod/a', message: 'legacy happened', count: 4, source: 'kubelet, n1' });
    assert.equal(t[0].source, 'scheduler');
    assert.equal(t[0].type, 'Warning');
  });

  it('filters by a case-insensitive part of Kind/name and by type', () => {
    const events = [ev('1', 'Pod', 'web-1', {}), ev('2', 'Pod', 'api-1', {}, { type: 'Warning' }), ev('3', 'ConfigMap', 'web', {})];
    assert.deepEqual(timeline(events, { object: 'pod/WEB' }).map((e) => e.object), ['Pod/web-1']);
    assert.deepEqual(timeline(events, { object: 'web' }).map((e) => e.object).sort(), ['ConfigMap/web', 'Pod/web-1']);
    assert.deepEqual(timeline(events, { type: 'Warning' }).map((e) => e.object), ['Pod/api-1']);
    assert.equal(timeline(events, {}, 2).length, 2);
  });
});
