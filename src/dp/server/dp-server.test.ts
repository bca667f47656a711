import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import type { KObject } from '../../api/object.js';
import { createCertificateAuthority } from '../../security/index.js';
import { DpSessionError, openDpSession, type DpSessionHandle } from '../agent/dp-session.js';
import { dataplaneManifest, DpEnv, eventually, subscriptionsOf } from '../testing/dp-env.js';
import { DpError } from './dp-error.js';
import { MAX_SUBSCRIPTIONS } from './subscriptions.js';

const inboundHealth = (dp: KObject | undefined) =>
  ((dp?.spec as { networking: { inbound: { port: number; health?: { ready?: boolean } }[] } } | undefined)?.networking.inbound ?? []).map((i) => i.health?.ready);

describe('DP server', () => {
  let env: DpEnv;
  before(async () => {
    env = await DpEnv.start({ instanceId: 'cp-1' });
  });
  after(async () => {
    await env.stop();
  });

  const open = async (dataplane: KObject | { namespace: string; name: string }, token: string): Promise<DpSessionHandle> =>
    openDpSession({ address: env.dp.address, caPem: env.pki.caPem, token, dataplane, agentVersion: '0.1.0' });

  test('a session registers the Dataplane and records connect, then disconnect on close', async () => {
    const token = await env.token({ mesh: 'default', workload: 'web' });
    const s = await open(dataplaneManifest('web-1', { workload: 'web' }), token);
    const dp = await env.dataplanes().get('default', 'web-1');
    assert.equal(dp?.metadata.labels?.['kuma.io/workload'], 'web');
    const [sub] = subscriptionsOf(await env.insight('default', 'web-1'));
    assert.equal(sub.id, s.subscriptionId);
    assert.equal(sub.controlPlaneInstanceId, 'cp-1');
    assert.ok(sub.connectTime);
    assert.equal(sub.disconnectTime, undefined);
    assert.deepEqual((sub as { version?: unknown }).version, { kumaDp: { version: '0.1.0' } });
    const dpi = await env.insight('default', 'web-1');
    assert.equal(dpi?.metadata.ownerReferences?.[0].uid, dp?.metadata.uid, 'the insight goes with its Dataplane');

    await s.close(false);
    const [closed] = subscriptionsOf(await env.insight('default', 'web-1'));
    assert.ok(closed.disconnectTime, 'disconnect recorded before close() resolves');
    assert.ok(await env.dataplanes().get('default', 'web-1'), 'without goodbye the Dataplane stays');
    assert.equal(env.dp.openStreams(), 0);
  });

  test('goodbye deletes the Dataplane the session registered', async () => {
    const token = await env.token({ mesh: 'default', workload: 'web' });
    const s = await open(dataplaneManifest('web-2', { workload: 'web' }), token);
    await s.close(true);
    assert.equal(await env.dataplanes().get('default', 'web-2'), undefined);
  });

  test('a token for another workload is refused with Kuma\'s message', async () => {
    const token = await env.token({ mesh: 'default', workload: 'db' });
    await assert.rejects(open(dataplaneManifest('web-3', { workload: 'web' }), token), (e: DpSessionError) => {
      assert.equal(e.message, 'dataplane workload "web" is not allowed with this token. Allowed workload in token is "db"');
      assert.ok(e.fatal);
      return true;
    });
    assert.equal(await env.dataplanes().get('default', 'web-3'), undefined, 'nothing registered');
  });

  test('a Dataplane without workload label is refused', async () => {
    const token = await env.token({ mesh: 'default', workload: 'web' });
    await assert.rejects(open(dataplaneManifest('web-4'), token), { message: 'dataplane has no workload label required by the token' });
  });

  test('mesh and namespace of the token are enforced; bad tokens are unauthenticated', async () => {
    const other = await env.token({ mesh: 'other', workload: 'web' });
    await assert.rejects(open(dataplaneManifest('web-5', { workload: 'web' }), other), {
      message: 'dataplane mesh "default" is not allowed with this token. Allowed mesh in token is "other"',
    });
    const nsBound = await env.token({ mesh: 'default', workload: 'web', namespace: 'kube-public' });
    await assert.rejects(open(dataplaneManifest('web-5', { workload: 'web' }), nsBound), {
      message: 'dataplane namespace "default" is not allowed with this token. Allowed namespace in token is "kube-public"',
    });
    await assert.rejects(open(dataplaneManifest('web-5', { workload: 'web' }), 'not-a-token'), { message: 'invalid or expired token' });
  });

  test('a DP server whose certificate another CA signed is not trusted', async () => {
    const token = await env.token({ mesh: 'default', workload: 'web' });
    const other = await createCertificateAuthority();
    await assert.rejects(
      openDpSession({ address: env.dp.address, caPem: other.certPem, token, dataplane: dataplaneManifest('web-8', { workload: 'web' }) }),
      (e: DpSessionError) => e.code === status.UNAVAILABLE && !e.fatal,
    );
    assert.equal(await env.dataplanes().get('default', 'web-8'), undefined);
  });

  test('a token cannot take over a Dataplane of another workload', async () => {
    await env.dataplanes().create('default', dataplaneManifest('taken', { workload: 'db' }));
    const token = await env.token({ mesh: 'default', workload: 'web' });
    await assert.rejects(open(dataplaneManifest('taken', { workload: 'web' }), token), {
      message: 'dataplane workload "db" is not allowed with this token. Allowed workload in token is "web"',
    });
    assert.equal((await env.dataplanes().get('default', 'taken'))?.metadata.labels?.['kuma.io/workload'], 'db');
  });

  test('health reports set inbound health only', async () => {
    const token = await env.token({ mesh: 'default', workload: 'web' });
    const s = await open(dataplaneManifest('web-6', { workload: 'web', ports: [18081, 18082] }), token);
    s.reportHealth([
      { port: 18081, ready: false },
      { port: 18082, ready: true },
    ]);
    const dp = await eventually(() => env.dataplanes().get('default', 'web-6'), (d) => inboundHealth(d)[0] === false);
    assert.deepEqual(inboundHealth(dp), [false, true]);
    const inb = (dp!.spec as { networking: { inbound: Record<string, unknown>[] } }).networking.inbound[0];
    assert.equal(inb.state, undefined, 'state stays as declared');
    s.reportHealth([
      { port: 18081, ready: true },
      { port: 18082, ready: true },
    ]);
    await eventually(() => env.dataplanes().get('default', 'web-6'), (d) => inboundHealth(d)[0] === true);
    await s.close(true);
  });

  test('pods connect with their ServiceAccount token', async () => {
    const pods = env.client.resource({ group: '', version: 'v1', resource: 'pods' });
    await env.client.resource({ group: '', version: 'v1', resource: 'serviceaccounts' }).create('default', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api' } });
    const pod = await pods.create('default', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'api-0', namespace: 'default' },
      spec: { serviceAccountName: 'api', containers: [{ name: 'c', image: 'x' }] },
    });
    const dp = dataplaneManifest('api-0', { workload: 'api' });
    dp.metadata.labels!['k8s.kuma.io/service-account'] = 'api';
    dp.metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Pod', name: 'api-0', uid: pod.metadata.uid! }];
    await env.dataplanes().create('default', dp);
    const saToken = (sa: string) => env.tokens.issue({ namespace: 'default', serviceAccount: sa, uid: 'u', expirationSeconds: 600 }).then((t) => t.token);

    const s = await open({ namespace: 'default', name: 'api-0' }, await saToken('api'));
    assert.equal(subscriptionsOf(await env.insight('default', 'api-0')).length, 1);
    await s.close(true);
    assert.ok(await env.dataplanes().get('default', 'api-0'), 'a pod Dataplane is not the session\'s to delete');

    await assert.rejects(open({ namespace: 'default', name: 'api-0' }, await saToken('default')), {
      message: 'dataplane service account "api" is not allowed with this token. Allowed service account in token is "default"',
    });
    await assert.rejects(open(dataplaneManifest('api-1', { workload: 'api' }), await saToken('api')), {
      message: 'registering a dataplane needs a dataplane token',
    });
    await assert.rejects(open({ namespace: 'default', name: 'missing' }, await saToken('api')), { message: 'dataplane "default/missing" not found' });
  });

  test('stream handlers see sessions and answer their messages', async () => {
    const seen: string[] = [];
    env.dp.addHandler({
      onConnect: (session) => void seen.push(`connect ${session.name} ${session.credential.kind}`),
      onMessage: (session, msg) => {
        if (!('csr' in msg) || session.name !== 'plugged') return;
        session.send({ identity: { certPem: `signed ${msg.csr.csrPem}`, bundlePem: 'b', spiffeId: 'spiffe://d/w', expirationTime: '2030-01-01T00:00:00Z' } });
        return true;
      },
      onDisconnect: (session) => void seen.push(`disconnect ${session.name} ${session.signal.aborted}`),
    });
    const token = await env.token({ mesh: 'default', workload: 'web' });
    const got: unknown[] = [];
    const messages = (name: string) =>
      openDpSession({ address: env.dp.address, caPem: env.pki.caPem, token, dataplane: dataplaneManifest(name, { workload: 'web' }), onMessage: (m) => got.push(m) });
    const plugged = await messages('plugged');
    plugged.send({ csr: { csrPem: 'CSR' } });
    await eventually(async () => got.length, (n) => n === 2);
    assert.deepEqual(got[1], { identity: { certPem: 'signed CSR', bundlePem: 'b', spiffeId: 'spiffe://d/w', expirationTime: '2030-01-01T00:00:00Z' } });
    await plugged.close(true);

    got.length = 0;
    const unclaimed = await messages('unplugged');
    unclaimed.send({ csr: { csrPem: 'CSR' } });
    await eventually(async () => got.length, (n) => n === 2);
    assert.deepEqual(got[1], { error: { message: 'no identity provider issues certificates to this dataplane' } });
    await unclaimed.close(true);
    assert.deepEqual(seen.slice(0, 2), ['connect plugged dataplane-token', 'disconnect plugged true']);
  });

  test('a handler\'s authorize refuses a dataplane before anything is stored or acked', async () => {
    const seen: string[] = [];
    env.dp.addHandler({
      authorize: (dp, cred) => {
        seen.push(`authorize ${dp.metadata.name} ${cred.kind}`);
        if (dp.metadata.labels?.['test/refuse']) throw new DpError(status.INVALID_ARGUMENT, `refused ${dp.metadata.name}`);
      },
      onConnect: (session) => void seen.push(`connect ${session.name}`),
    });
    const token = await env.token({ mesh: 'default', workload: 'web' });
    const refused = dataplaneManifest('web-10', { workload: 'web' });
    refused.metadata.labels!['test/refuse'] = 'yes';
    await assert.rejects(open(refused, token), (e: DpSessionError) => {
      assert.equal(e.code, status.INVALID_ARGUMENT);
      assert.equal(e.message, 'refused web-10');
      assert.ok(e.fatal);
      return true;
    });
    assert.equal(await env.dataplanes().get('default', 'web-10'), undefined, 'nothing registered');
    assert.equal(await env.insight('default', 'web-10'), undefined, 'no subscription recorded');

    const other = await env.token({ mesh: 'default', workload: 'db' });
    await assert.rejects(open(dataplaneManifest('web-11', { workload: 'web' }), other), { message: /not allowed with this token/ });
    assert.deepEqual(seen, ['authorize web-10 dataplane-token'], 'the credential is checked first; a refused stream never connects');

    const s = await open(dataplaneManifest('web-12', { workload: 'web' }), token);
    await s.close(true);
    assert.deepEqual(seen.slice(1), ['authorize web-12 dataplane-token', 'connect web-12']);
  });

  test('an insight keeps the last subscriptions only', async () => {
    const token = await env.token({ mesh: 'default', workload: 'web' });
    const manifest = dataplaneManifest('web-9', { workload: 'web' });
    const ids: string[] = [];
    for (let i = 0; i < MAX_SUBSCRIPTIONS + 2; i++) {
      const s = await open(manifest, token);
      ids.push(s.subscriptionId);
      await s.close(false);
    }
    const subs = subscriptionsOf(await env.insight('default', 'web-9'));
    assert.deepEqual(subs.map((x) => x.id), ids.slice(2));
  });

  test('a session reconnects when the DP server restarts on the same port', async () => {
    const token = await env.token({ mesh: 'default', workload: 'web' });
    const states: string[] = [];
    const s = await openDpSession({
      address: env.dp.address,
      caPem: env.pki.caPem,
      token,
      dataplane: dataplaneManifest('web-7', { workload: 'web' }),
      onStateChange: (st) => states.push(st),
    });
    const port = env.dp.port;
    await env.dp.stop();
    const [first] = subscriptionsOf(await env.insight('default', 'web-7'));
    assert.ok(first.disconnectTime, 'a graceful stop records the disconnect');
    await env.startDp('cp-2', port);
    const dpi = await eventually(
      () => env.insight('default', 'web-7'),
      (d) => subscriptionsOf(d).some((x) => x.controlPlaneInstanceId === 'cp-2' && !x.disconnectTime),
    );
    assert.equal(subscriptionsOf(dpi).length, 2);
    await eventually(async () => states.length, (n) => n >= 3);
    assert.deepEqual(states, ['connected', 'disconnected', 'connected']);
    await s.close(true);
    assert.equal(await env.dataplanes().get('default', 'web-7'), undefined);
  });
});
