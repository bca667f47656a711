// Binding: the binding subresource's effect and conflicts, the HTTP request
// shape, and how the scheduler recovers when a binding fails (the cache drops
// the assumption; the pod is retried or left to whoever bound it).

import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiError, isConflict } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import { eventually } from '../client/testing.js';
import type { HttpTransport } from '../client/http-transport.js';
import { applyBinding, httpBinder, registryBinder, type Binder, type JsonRequester } from './binder.js';
import { podObject, startHarness, type Harness } from './testing.js';

const pod = (): KObject => {
  const p = podObject('ns', 'p');
  p.metadata.uid = 'u1';
  p.status = { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no room' }] };
  return p;
};

describe('binding', () => {
  it('sets nodeName once and replaces an Unschedulable condition', () => {
    const p = applyBinding(pod(), 'n1', 'u1');
    assert.equal((p.spec as any).nodeName, 'n1');
    const c = (p.status as any).conditions[0];
    assert.equal(c.status, 'True');
    assert.equal(c.reason, undefined);
    assert.equal(c.message, undefined);
    assert.throws(() => applyBinding(p, 'n2', 'u1'), (e) => isConflict(e) && /already assigned to node "n1"/.test((e as Error).message));
    assert.throws(() => applyBinding(pod(), 'n1', 'other'), (e) => isConflict(e) && /UID in precondition/.test((e as Error).message));
    const deleting = pod();
    deleting.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    assert.throws(() => applyBinding(deleting, 'n1', 'u1'), isConflict);
  });

  it('posts a Binding to the pod binding subresource over HTTP', async () => {
    const calls: unknown[] = [];
    await httpBinder({ request: async (method, path, o) => void calls.push({ method, path, body: o?.body }) }).bind(pod(), 'n1');
    assert.deepEqual(calls, [
      {
        method: 'POST',
        path: '/api/v1/namespaces/ns/pods/p/binding',
        body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } },
      },
    ]);
    // The client layer's transport is a JsonRequester.
    const transport: JsonRequester = {} as HttpTransport;
    assert.ok(transport);
  });
});

describe('binding failures', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('retries a pod whose binding failed, counting it once', async () => {
    let failures = 1;
    const flaky = (b: Binder): Binder => ({
      bind: (p, n) => (failures-- > 0 ? Promise.reject(new ApiError(500, 'InternalError', 'disk on fire')) : b.bind(p, n)),
    });
    h = await startHarness({}, { wrapBinder: flaky });
    await h.addNode('n1', { cpu: '2' });
    await h.addPod('t', 'p', { cpu: '1' });
    assert.equal(await h.waitBound('t', 'p'), 'n1');
    await h.scheduler.settled();
    assert.equal(h.scheduler.stats.bindFailures, 1);
    assert.equal(h.scheduler.cache.node('n1')!.cpu, 1000);
    assert.equal(h.scheduler.cache.node('n1')!.pods, 1);
  });

  it('drops its assumption when someone else bound the pod first', async () => {
    let h2: Harness | undefined;
    const raced = (b: Binder): Binder => ({
      // Another scheduler wins the race to n2 just before our binding to n1 lands.
      bind: async (p, n) => {
        await registryBinder(h2!.api.registry).bind(p, 'n2');
        return b.bind(p, n);
      },
    });
    h = h2 = await startHarness({}, { wrapBinder: raced });
    await h.addNode('n1', { cpu: '2' });
    await h.addNode('n2', { cpu: '1' });
    await h.addPod('t', 'p', { cpu: '1' });
    assert.equal(await h.waitBound('t', 'p'), 'n2');
    await h.scheduler.settled();
    assert.equal(h.scheduler.stats.bindFailures, 1);
    // The informer shows the pod on n2; n1 holds nothing.
    await eventually(() => h.scheduler.cache.node('n2')!.pods === 1, 'counted on n2');
    assert.equal(h.scheduler.cache.node('n1')!.pods, 0);
    assert.equal(h.scheduler.cache.node('n1')!.cpu, 0);
  });
});
