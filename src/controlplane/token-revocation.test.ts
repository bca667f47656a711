// ServiceAccount tokens die with what they name: deleting the ServiceAccount,
// or the Pod a token is bound to, revokes the token at once (no wait for the
// authenticator's verdict cache), and recreating an object of the same name
// does not bring old tokens back.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JsonClient } from '../bench/http.js';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { serveOptions } from './options.js';

describe('ServiceAccount token revocation', () => {
  let cp: ControlPlane;
  let admin: JsonClient;
  let dir: string;
  const ns = '/api/v1/namespaces/default';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-token-revocation-'));
    cp = await startControlPlane(serveOptions({ dataDir: dir, apiOnly: true }));
    admin = new JsonClient(cp.url, cp.adminToken, cp.caPem);
  });
  after(async () => {
    admin?.close();
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const createSa = async (name: string) => assert.equal((await admin.send('POST', `${ns}/serviceaccounts`, { metadata: { name } })).status, 201);
  const token = async (sa: string, bound?: Record<string, unknown>) => {
    const r = await admin.send('POST', `${ns}/serviceaccounts/${sa}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: bound ? { boundObjectRef: { apiVersion: 'v1', ...bound } } : {} });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return (r.body as { status: { token: string } }).status.token;
  };
  /** The status a request with `t` gets: 200 while valid, 401 once revoked (discovery: every authenticated user may read it). */
  const use = async (t: string) => {
    const c = new JsonClient(cp.url, t, cp.caPem);
    try {
      return (await c.send('GET', '/api')).status;
    } finally {
      c.close();
    }
  };

  it('refuses a token as soon as its ServiceAccount is deleted, and after it is recreated', async () => {
    await createSa('robot');
    const t = await token('robot');
    assert.equal(await use(t), 200);
    assert.equal((await admin.send('DELETE', `${ns}/serviceaccounts/robot`)).status, 200);
    assert.equal(await use(t), 401, 'the remembered verdict was dropped with the ServiceAccount');
    await createSa('robot');
    assert.equal(await use(t), 401, 'a new ServiceAccount of the same name has another uid');
    assert.equal(await use(await token('robot')), 200);
  });

  it('refuses a pod-bound token once the pod is deleted', async () => {
    await createSa('worker');
    const pod = await admin.send('POST', `${ns}/pods`, { metadata: { name: 'w' }, spec: { serviceAccountName: 'worker', containers: [{ name: 'c', image: 'x' }] } });
    const uid = (pod.body as { metadata: { uid: string } }).metadata.uid;
    const t = await token('worker', { kind: 'Pod', name: 'w', uid });
    assert.equal(await use(t), 200);
    assert.equal((await admin.send('DELETE', `${ns}/pods/w?gracePeriodSeconds=0`)).status, 200);
    assert.equal(await use(t), 401);
  });
});
