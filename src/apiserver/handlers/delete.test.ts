// A delete answers as kube-apiserver's does, which clients rely on (the
// Python client deserializes the answer as a V1Status or the object by kind;
// kubectl waits on the uid it reads from either): 200 with a Status naming
// the object when it is gone at once, 200 with the object for kinds that
// return deleted objects (pods) and for objects left in place (grace period,
// finalizers, a terminating namespace), 202 only for the latter when the
// client explicitly asked not to orphan dependents.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JsonClient } from '../../bench/http.js';
import { startControlPlane, type ControlPlane } from '../../controlplane/control-plane.js';
import { serveOptions } from '../../controlplane/options.js';

type Obj = Record<string, any>;

describe('DELETE answers', () => {
  let cp: ControlPlane;
  let c: JsonClient;
  let dir: string;
  const ns = '/api/v1/namespaces/default';
  const created = async (path: string, body: Obj): Promise<Obj> => {
    const r = await c.send('POST', path, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as Obj;
  };
  const del = async (path: string) => {
    const r = await c.send('DELETE', path);
    return { status: r.status, body: r.body as Obj };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-delete-'));
    cp = await startControlPlane(serveOptions({ dataDir: dir, apiOnly: true }));
    c = new JsonClient(cp.url, cp.adminToken, cp.caPem);
    // No controllers run here: pods need their service account made by hand.
    const sa = await c.send('POST', `${ns}/serviceaccounts`, { metadata: { name: 'default' } });
    assert.ok(sa.status === 201 || sa.status === 409, JSON.stringify(sa.body));
  });
  after(async () => {
    c?.close();
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an object gone at once: 200 and a Status naming it (details.kind is the resource)', async () => {
    const cm = await created(`${ns}/configmaps`, { metadata: { name: 'gone' } });
    const r = await del(`${ns}/configmaps/gone`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'gone', kind: 'configmaps', uid: cm.metadata.uid } });
    assert.equal((await c.send('GET', `${ns}/configmaps/gone`)).status, 404);

    const swl = await created('/apis/scheduling.k8s.io/v1alpha1/namespaces/default/workloads', { metadata: { name: 'gang' }, spec: { podGroups: [{ name: 'g', policy: { basic: {} } }] } });
    const s = await del('/apis/scheduling.k8s.io/v1alpha1/namespaces/default/workloads/gang');
    assert.deepEqual([s.status, s.body.details], [200, { name: 'gang', group: 'scheduling.k8s.io', kind: 'workloads', uid: swl.metadata.uid }]);
  });

  it('refusals name the resource as kube does: details.kind is the resource, no empty group', async () => {
    const missing = await del(`${ns}/configmaps/missing`);
    assert.deepEqual([missing.status, missing.body.reason, missing.body.details], [404, 'NotFound', { name: 'missing', kind: 'configmaps' }]);
    await created(`${ns}/configmaps`, { metadata: { name: 'guarded' } });
    const r = await c.send('DELETE', `${ns}/configmaps/guarded`, { preconditions: { uid: 'not-its-uid' } });
    assert.deepEqual([r.status, (r.body as Obj).reason, (r.body as Obj).details], [409, 'Conflict', { name: 'guarded', kind: 'configmaps' }]);
    const gone = await del('/apis/scheduling.k8s.io/v1alpha1/namespaces/default/workloads/missing');
    assert.deepEqual(gone.body.details, { name: 'missing', group: 'scheduling.k8s.io', kind: 'workloads' });
  });

  it('a dry-run delete answers the same and leaves the object', async () => {
    await created(`${ns}/configmaps`, { metadata: { name: 'kept' } });
    const r = await del(`${ns}/configmaps/kept?dryRun=All`);
    assert.deepEqual([r.status, r.body.kind, r.body.status], [200, 'Status', 'Success']);
    assert.equal((await c.send('GET', `${ns}/configmaps/kept`)).status, 200);
  });

  it('kinds that return deleted objects (Pod, ServiceAccount) answer with the object', async () => {
    const sa = await created(`${ns}/serviceaccounts`, { metadata: { name: 'robot' } });
    const r = await del(`${ns}/serviceaccounts/robot`);
    assert.deepEqual([r.status, r.body.kind, r.body.metadata.uid], [200, 'ServiceAccount', sa.metadata.uid]);
    // An unscheduled pod goes at once.
    await created(`${ns}/pods`, { metadata: { name: 'pending' }, spec: { containers: [{ name: 'c', image: 'i' }] } });
    const p = await del(`${ns}/pods/pending`);
    assert.deepEqual([p.status, p.body.kind, p.body.metadata.name], [200, 'Pod', 'pending']);
  });

  it('an object left in place answers with it: 200, or 202 when orphanDependents=false was asked', async () => {
    await created(`${ns}/configmaps`, { metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const r = await del(`${ns}/configmaps/held`);
    assert.deepEqual([r.status, r.body.kind], [200, 'ConfigMap']);
    assert.ok(r.body.metadata.deletionTimestamp);
    const pod = { metadata: { name: 'bound' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'i' }] } };
    await created(`${ns}/pods`, pod);
    const graceful = await del(`${ns}/pods/bound?orphanDependents=false`);
    assert.deepEqual([graceful.status, graceful.body.kind], [202, 'Pod']);
    assert.ok(graceful.body.metadata.deletionTimestamp);
    const ns2 = await created('/api/v1/namespaces', { metadata: { name: 'leaving' } });
    const n = await del('/api/v1/namespaces/leaving');
    assert.deepEqual([n.status, n.body.kind, n.body.metadata.uid, n.body.status.phase], [200, 'Namespace', ns2.metadata.uid, 'Terminating']);
  });
});
