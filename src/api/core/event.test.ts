// Event table cells, field selectors and validation.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject } from '../object.js';
import { eventCount, eventDefinition, eventLastSeen, eventObjectCell, eventSourceCell, validateEvent } from './event.js';

const ev = (extra: Record<string, unknown>): KObject => ({
  metadata: { name: 'web.1', namespace: 'default' },
  involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
  ...extra,
});

describe('event cells', () => {
  it('renders the object, source, count and last seen as kube does', () => {
    const e = ev({ source: { component: 'kubelet', host: 'n1' }, firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:05:00Z', count: 3 });
    assert.equal(eventObjectCell(e), 'pod/web');
    assert.equal(eventSourceCell(e), 'kubelet, n1');
    assert.equal(eventCount(e), 3);
    assert.equal(eventLastSeen(e), '2024-01-01T00:05:00Z');
    const fresh = ev({ eventTime: '2024-01-01T00:00:00.000000Z', reportingComponent: 'workplane/scheduler', series: { count: 4, lastObservedTime: '2024-01-01T00:09:00.000000Z' } });
    assert.equal(eventSourceCell(fresh), 'workplane/scheduler');
    assert.equal(eventCount(fresh), 4);
    assert.equal(eventLastSeen(fresh), '2024-01-01T00:09:00.000000Z');
    assert.equal(eventCount(ev({})), 1);
  });

  it('lays out columns as kube does, Name last and wide', () => {
    assert.deepEqual(
      eventDefinition.columns!.map((c) => `${c.name}${c.priority ? '*' : ''}`),
      ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*'],
    );
  });

  it('selects by involvedObject and source', () => {
    const f = eventDefinition.selectableFields!;
    const e = ev({ source: { component: 'kubelet' }, type: 'Warning' });
    assert.equal(f['involvedObject.kind'](e), 'Pod');
    assert.equal(f['involvedObject.uid'](e), '');
    assert.equal(f.source(e), 'kubelet');
    assert.equal(f.type(e), 'Warning');
  });

  it('requires the involved object namespace to match', () => {
    assert.deepEqual(validateEvent(ev({})), []);
    const wrong = ev({ involvedObject: { kind: 'Pod', name: 'web', namespace: 'other' } });
    assert.deepEqual(validateEvent(wrong).map((e) => e.detail), ['does not match event.namespace']);
    const nodeEvent: KObject = { metadata: { name: 'n', namespace: 'default' }, involvedObject: { kind: 'Node', name: 'n1' } };
    assert.deepEqual(validateEvent(nodeEvent), []);
  });
});
