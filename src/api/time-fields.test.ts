import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from '@sinclair/typebox';
import { leaseDefinition } from './core/lease.js';
import { podDefinition } from './core/pod.js';
import { ObjectMetaSchema } from './schemas/index.js';
import { canonicalizeTimes } from './time-fields.js';

const full = (schema: unknown) => ({ type: 'object', properties: { metadata: ObjectMetaSchema, ...(schema as { properties: object }).properties } });

test('canonicalizeTimes: every marked timestamp, in maps, lists and nested objects, as kube stores it', () => {
  const pod = {
    metadata: { name: 'p', creationTimestamp: '2026-12-06T19:17:00+00:00', managedFields: [{ manager: 'm', time: '2026-12-06T20:17:00.5+01:00' }] },
    status: { startTime: '2026-12-06T19:17:00Z', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-06T19:17:00-00:00' }] },
  };
  assert.equal(canonicalizeTimes(pod, full(podDefinition.schema)), undefined);
  assert.equal(pod.metadata.creationTimestamp, '2026-12-06T19:17:00Z');
  assert.equal(pod.metadata.managedFields[0].time, '2026-12-06T19:17:00Z');
  assert.equal(pod.status.conditions[0].lastTransitionTime, '2026-12-06T19:17:00Z');
  const lease = { metadata: {}, spec: { holderIdentity: 'a', renewTime: '2026-12-06T19:17:00+00:00' } };
  assert.equal(canonicalizeTimes(lease, full(leaseDefinition.schema)), undefined);
  assert.equal(lease.spec.renewTime, '2026-12-06T19:17:00.000000Z');
});

test('canonicalizeTimes: the first unparsable timestamp is reported, unmarked strings are left alone', () => {
  const pod = { metadata: { labels: { at: 'whenever' } }, status: { conditions: [{ type: 'Ready', lastTransitionTime: 'tomorrow' }] } };
  assert.match(canonicalizeTimes(pod, full(podDefinition.schema))!, /^parsing time "tomorrow" as "2006-01-02T15:04:05Z07:00": cannot parse "tomorrow" as "2006"$/);
  // A CRD's own date-time strings are not kube's typed times: kept as sent.
  const custom = { type: 'object', properties: { spec: Type.Object({ at: Type.String({ format: 'date-time' }) }) } };
  const cr = { spec: { at: '2026-12-06T19:17:00+00:00' } };
  assert.equal(canonicalizeTimes(cr, custom), undefined);
  assert.equal(cr.spec.at, '2026-12-06T19:17:00+00:00');
});
