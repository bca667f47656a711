import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../api/errors.js';
import { leaseDefinition } from '../api/core/lease.js';
import { podDefinition } from '../api/core/pod.js';
import { compileDefinition } from './compiled-definition.js';
import { decodeChecks, type WriteOptions } from './write-pipeline.js';

const opts: WriteOptions = { user: { username: 'u', groups: [] }, dryRun: false };

test('decodeChecks: timestamps stored as kube stores them, whoever spelled them (the Python client writes +00:00)', () => {
  const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l' }, spec: { renewTime: '2026-12-06T20:17:00+01:00', acquireTime: '2026-12-06T19:17:00.25Z' } };
  decodeChecks(compileDefinition(leaseDefinition), lease as never, opts, []);
  assert.deepEqual(lease.spec, { renewTime: '2026-12-06T19:17:00.000000Z', acquireTime: '2026-12-06T19:17:00.250000Z' });
});

test('decodeChecks: a timestamp Go cannot parse is a 400 with Go decoding message', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] }, status: { startTime: '06/12/2026' } };
  assert.throws(
    () => decodeChecks(compileDefinition(podDefinition), pod as never, opts, []),
    (e: unknown) =>
      e instanceof ApiError &&
      e.code === 400 &&
      e.message === 'Pod in version "v1" cannot be handled as a Pod: parsing time "06/12/2026" as "2006-01-02T15:04:05Z07:00": cannot parse "06/12/2026" as "2006"',
  );
});
