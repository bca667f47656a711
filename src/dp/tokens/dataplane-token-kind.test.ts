import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpTransport, loadKubeconfig } from '../../client/index.js';
import { DpEnv } from '../testing/dp-env.js';
import { verifyDataplaneToken } from './dataplane-token.js';

let env: DpEnv;
let api: HttpTransport;
before(async () => {
  env = await DpEnv.start();
  api = new HttpTransport(await loadKubeconfig(await env.startTokenApi()));
});
after(async () => {
  api.close();
  await env.stop();
});

const PATH = '/apis/kuma.io/v1alpha1/namespaces/default/dataplanetokens';

test('creating a DataplaneToken returns a token bound to the namespace', async () => {
  const { status, body } = await api.request('POST', PATH, { body: { apiVersion: 'kuma.io/v1alpha1', kind: 'DataplaneToken', spec: { workload: 'web', validFor: '2h' } } });
  assert.equal(status, 201);
  const r = body as { kind: string; spec: Record<string, string>; status: { token: string; expirationTimestamp: string } };
  assert.equal(r.kind, 'DataplaneToken');
  assert.deepEqual(r.spec, { mesh: 'default', workload: 'web', validFor: '7200s' });
  assert.deepEqual(await verifyDataplaneToken(env.tokens.signer, r.status.token), { mesh: 'default', workload: 'web', namespace: 'default' });
});

test('spec errors are reported together', async () => {
  await assert.rejects(api.request('POST', PATH, { body: { spec: { mesh: 3, validFor: 'soon' } } }), (e: Error & { code: number }) => {
    assert.equal(e.code, 422);
    assert.match(e.message, /spec\.mesh: Invalid value: 3/);
    assert.match(e.message, /spec\.workload: Required value/);
    assert.match(e.message, /spec\.validFor: Invalid value: "soon": time: invalid duration "soon"/);
    return true;
  });
});

test('a validity beyond the maximum (Kuma\'s default, 87600h) is refused, naming the limit', async () => {
  await assert.rejects(api.request('POST', PATH, { body: { spec: { workload: 'web', validFor: '87601h' } } }), (e: Error & { code: number }) => {
    assert.equal(e.code, 422);
    assert.match(e.message, /spec\.validFor: Invalid value: "87601h": must be at most 87600h0m0s, the longest validity this control plane grants/);
    return true;
  });
  const { status } = await api.request('POST', PATH, { body: { spec: { workload: 'web', validFor: '87600h' } } });
  assert.equal(status, 201);
});

test('RBAC decides who mints dataplane tokens (a bare ServiceAccount may not); the kind is create-only', async () => {
  const sa = await env.tokens.issue({ namespace: 'default', serviceAccount: 'default', uid: 'u', expirationSeconds: 600 });
  const conn = await loadKubeconfig(env.tokenApi!.kubeconfig);
  const asSa = new HttpTransport({ ...conn, token: sa.token });
  try {
    await assert.rejects(asSa.request('POST', PATH, { body: { spec: { workload: 'web' } } }), { code: 403 });
  } finally {
    asSa.close();
  }
  await assert.rejects(api.request('GET', PATH), { code: 405 });
});
