// serviceaccounts/token: tokens bound to a pod are issued only for a live pod
// with the same uid that runs as the account.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JsonClient } from '../bench/http.js';
import { startControlPlane, type ControlPlane } from './control-plane.js';
import { serveOptions } from './options.js';

describe('TokenRequest bound to a pod', () => {
  let cp: ControlPlane;
  let c: JsonClient;
  let dir: string;
  let podUid = '';
  const tokenPath = (sa: string) => `/api/v1/namespaces/default/serviceaccounts/${sa}/token`;
  const request = (sa: string, ref: Record<string, unknown>) =>
    c.send('POST', tokenPath(sa), { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { boundObjectRef: { apiVersion: 'v1', ...ref } } });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wp-token-request-'));
    cp = await startControlPlane(serveOptions({ dataDir: dir, apiOnly: true }));
    c = new JsonClient(cp.url, cp.adminToken, cp.caPem);
    for (const name of ['default', 'other']) await c.send('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name } });
    const pod = await c.send('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { serviceAccountName: 'default', containers: [{ name: 'c', image: 'x' }] } });
    assert.equal(pod.status, 201, JSON.stringify(pod.body));
    podUid = (pod.body as { metadata: { uid: string } }).metadata.uid;
  });

  after(async () => {
    c?.close();
    await cp?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('issues a token for the pod running as the account', async () => {
    const r = await request('default', { kind: 'Pod', name: 'p', uid: podUid });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    assert.match((r.body as { status: { token: string } }).status.token, /^eyJ/);
  });

  it('refuses a missing pod, a stale uid and another account', async () => {
    assert.equal((await request('default', { kind: 'Pod', name: 'gone' })).status, 404);
    assert.equal((await request('default', { kind: 'Pod', name: 'p', uid: 'not-the-uid' })).status, 409);
    const other = await request('other', { kind: 'Pod', name: 'p', uid: podUid });
    assert.equal(other.status, 400);
    assert.match((other.body as { message: string }).message, /different serviceaccount name/);
  });
});
