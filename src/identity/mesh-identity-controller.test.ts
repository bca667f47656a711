import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { coreDefinitions } from '../api/core/index.js';
import { kumaDefinitions } from '../api/kuma/index.js';
import type { KObject } from '../api/object.js';
import { eventually, startTestApi, type TestApi } from '../client/testing.js';
import { createCa } from './ca-generate.js';
import { startIdentityControllers, type IdentityControllers } from './start.js';
import { dataplane, hasOpenssl, makeCsr, meshIdentity, opensslVerify, seedMeshIdentity, SYSTEM_NS } from './testing.js';

const kuma = (resource: string) => ({ group: 'kuma.io', version: 'v1alpha1', resource });
const MIDS = kuma('meshidentities');
const TRUSTS = kuma('meshtrusts');
const SECRETS = { group: '', version: 'v1', resource: 'secrets' };

let api: TestApi;
let abort: AbortController;
let identity: IdentityControllers;

before(async () => {
  api = await startTestApi([...coreDefinitions, ...kumaDefinitions]);
  await api.client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM_NS } });
  abort = new AbortController();
  identity = startIdentityControllers(api.client, abort.signal, { systemNamespace: SYSTEM_NS });
});

after(async () => {
  abort.abort();
  await identity.done;
  await api.close();
});

type Cond = { type: string; status: string; reason?: string; message?: string };
const conditionsOf = async (name: string): Promise<Cond[]> => ((await api.client.resource(MIDS).get(SYSTEM_NS, name))?.status as { conditions?: Cond[] })?.conditions ?? [];
const brief = (cs: Cond[]) => cs.map((c) => `${c.type}=${c.status}/${c.reason}: ${c.message}`);

async function settle(name: string, ready: 'True' | 'False'): Promise<Cond[]> {
  let cs: Cond[] = [];
  await eventually(async () => (cs = await conditionsOf(name)).some((c) => c.type === 'Ready' && c.status === ready), `${name} Ready=${ready}`);
  return cs;
}

const secret = (name: string, value: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: SYSTEM_NS },
  data: { value: Buffer.from(value).toString('base64') },
});

const suppliedIdentity = (name: string, certSecret: string, keySecret: string, extra: Record<string, unknown> = {}) =>
  meshIdentity(name, {
    selector: { dataplane: { matchLabels: { 'kuma.io/workload': name } } },
    spiffeID: { trustDomain: 'corp.example' },
    provider: {
      type: 'Bundled',
      bundled: {
        ca: { certificate: { type: 'Secret', secretRef: { kind: 'Secret', name: certSecret } }, privateKey: { type: 'Secret', secretRef: { kind: 'Secret', name: keySecret } } },
        ...extra,
      },
    },
  });

test("seed: the MeshIdentity becomes Ready, with its CA in owned Secrets and a MeshTrust; a proxy's certificate verifies against it", async () => {
  const mi = await api.client.resource(MIDS).create(SYSTEM_NS, seedMeshIdentity());
  const cs = await settle('workload-identity', 'True');
  assert.deepEqual(brief(cs), [
    'Provider=True/ProviderInitialized: Provider successfully initialized',
    'MeshTrustCreated=True/MeshTrustCreated: MeshTrust has been successfully created',
    'Ready=True/Ready: Successfully initialized',
  ]);
  for (const name of ['workload-identity-root-ca', 'workload-identity-private-key']) {
    const s = await api.client.resource(SECRETS).get(SYSTEM_NS, name);
    assert.ok(s, name);
    assert.equal(s.metadata.ownerReferences?.[0]?.uid, mi.metadata.uid);
    assert.equal(s.metadata.ownerReferences?.[0]?.kind, 'MeshIdentity');
  }
  const root = new X509Certificate(Buffer.from(((await api.client.resource(SECRETS).get(SYSTEM_NS, 'workload-identity-root-ca'))!.data as { value: string }).value, 'base64'));
  assert.equal(root.subject, 'CN=example.com');
  assert.equal(root.subjectAltName, 'URI:spiffe://example.com');
  assert.equal(root.ca, true);
  assert.equal(root.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.ok(Date.parse(root.validTo) - Date.now() > 9.9 * 365 * 86_400_000);

  const mt = (await api.client.resource(TRUSTS).get(SYSTEM_NS, 'workload-identity'))!;
  const spec = mt.spec as { trustDomain: string; caBundles: { type: string; pem: { value: string } }[]; origin?: unknown };
  assert.equal(spec.trustDomain, 'example.com');
  assert.equal(spec.caBundles.length, 1);
  assert.equal(spec.origin, undefined, 'spec.origin is deprecated in Kuma');
  assert.equal(mt.metadata.labels?.['kuma.io/mesh'], 'default');
  await eventually(
    async () => ((await api.client.resource(TRUSTS).get(SYSTEM_NS, 'workload-identity'))?.status as { origin?: { kri?: string } })?.origin?.kri === 'kri_mid_default__kuma-system_workload-identity_',
    'status.origin.kri names the MeshIdentity',
  );

  await eventually(() => identity.registry.get(`${SYSTEM_NS}/workload-identity`)?.ready === true, 'registry ready');
  const r = identity.issuer.issue(dataplane('demo-1', { 'kuma.io/workload': 'demo-workload' }), await makeCsr());
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(new X509Certificate(r.certPem).subjectAltName, 'URI:spiffe://example.com/workload/demo-workload');
  assert.ok(new X509Certificate(r.certPem).verify(new X509Certificate(spec.caBundles[0]!.pem.value).publicKey));
  if (hasOpenssl()) assert.match(opensslVerify(spec.caBundles[0]!.pem.value, r.certPem), /OK/);
});

test('an autogenerated CA is self-signed: refused without insecureAllowSelfSigned', async () => {
  const mi = seedMeshIdentity();
  mi.metadata.name = 'strict';
  (mi.spec as { provider: { bundled: Record<string, unknown> } }).provider.bundled.insecureAllowSelfSigned = false;
  await api.client.resource(MIDS).create(SYSTEM_NS, mi);
  const cs = await settle('strict', 'False');
  assert.deepEqual(brief(cs), [
    'Provider=False/ProviderValidationError: self-signed certificates are not allowed',
    'Ready=False/Failure: One of initialization steps failed',
  ]);
  assert.equal(identity.registry.get(`${SYSTEM_NS}/strict`)?.ready, false);
});

test('a supplied CA (intermediate from a Secret) needs no insecure flag; a changed CA is appended to the MeshTrust', async () => {
  const root = await createCa({ commonName: 'Corp Root', keyType: 'rsa-2048' });
  const inter = await createCa({ commonName: 'Corp Mesh CA', trustDomain: 'corp.example', keyType: 'rsa-2048', issuer: root });
  const secrets = api.client.resource(SECRETS);
  await secrets.create(SYSTEM_NS, secret('corp-ca-cert', inter.certPem + root.certPem));
  await secrets.create(SYSTEM_NS, secret('corp-ca-key', inter.keyPem));
  await api.client.resource(MIDS).create(SYSTEM_NS, suppliedIdentity('corp', 'corp-ca-cert', 'corp-ca-key'));
  await settle('corp', 'True');
  const entry = identity.registry.get(`${SYSTEM_NS}/corp`)!;
  assert.equal(entry.ca?.leafKeyType, 'rsa-2048');
  const r = identity.issuer.issue(dataplane('c-1', { 'kuma.io/workload': 'corp' }), await makeCsr('rsa-2048'));
  assert.ok(r.ok, JSON.stringify(r));
  assert.equal(r.spiffeId, 'spiffe://corp.example/workload/corp');
  if (hasOpenssl()) assert.match(opensslVerify(r.bundlePem, r.certPem), /OK/);

  const bundles = async () => ((await api.client.resource(TRUSTS).get(SYSTEM_NS, 'corp'))!.spec as { caBundles: unknown[] }).caBundles;
  assert.equal((await bundles()).length, 1);
  const inter2 = await createCa({ commonName: 'Corp Mesh CA 2', trustDomain: 'corp.example', keyType: 'rsa-2048', issuer: root });
  const cur = (await secrets.get(SYSTEM_NS, 'corp-ca-cert'))!;
  const curKey = (await secrets.get(SYSTEM_NS, 'corp-ca-key'))!;
  // Key first: the certificate change is what makes the pair consistent again.
  await secrets.update(SYSTEM_NS, { ...curKey, data: secret('x', inter2.keyPem).data });
  await secrets.update(SYSTEM_NS, { ...cur, data: secret('x', inter2.certPem + root.certPem).data });
  await eventually(async () => (await bundles()).length === 2, 'MeshTrust with both CAs');
  await eventually(() => identity.registry.get(`${SYSTEM_NS}/corp`)?.ca?.fingerprint !== entry.ca?.fingerprint, 'registry on the new CA');
  await settle('corp', 'True');
});

test('a missing CA Secret is an initialization error until the Secret appears', async () => {
  const { certPem, keyPem } = await createCa({ commonName: 'Late Root' });
  const inter = await createCa({ commonName: 'Late CA', keyType: 'ecdsa-p256', issuer: { certPem, keyPem } });
  await api.client.resource(MIDS).create(SYSTEM_NS, suppliedIdentity('late', 'late-cert', 'late-key'));
  const cs = await settle('late', 'False');
  assert.equal(cs[0]!.reason, 'ProviderInitializationError');
  assert.match(cs[0]!.message!, /secret "kuma-system\/late-(cert|key)" not found/);
  await api.client.resource(SECRETS).create(SYSTEM_NS, secret('late-key', inter.keyPem));
  await api.client.resource(SECRETS).create(SYSTEM_NS, secret('late-cert', inter.certPem));
  await settle('late', 'True');
});

test('a self-signed supplied CA is refused; insecureAllowSelfSigned accepts it', async () => {
  const root = await createCa({ commonName: 'Self' });
  await api.client.resource(SECRETS).create(SYSTEM_NS, secret('self-cert', root.certPem));
  await api.client.resource(SECRETS).create(SYSTEM_NS, secret('self-key', root.keyPem));
  await api.client.resource(MIDS).create(SYSTEM_NS, suppliedIdentity('self', 'self-cert', 'self-key'));
  const cs = await settle('self', 'False');
  assert.equal(cs[0]!.message, 'self-signed certificates are not allowed');
  await api.client.resource(MIDS).create(SYSTEM_NS, suppliedIdentity('self-ok', 'self-cert', 'self-key', { insecureAllowSelfSigned: true }));
  await settle('self-ok', 'True');
});

test('meshTrustCreation: Disabled keeps no MeshTrust and reports no MeshTrustCreated', async () => {
  const mi = seedMeshIdentity();
  mi.metadata.name = 'no-trust';
  (mi.spec as { provider: { bundled: Record<string, unknown> } }).provider.bundled.meshTrustCreation = 'Disabled';
  await api.client.resource(MIDS).create(SYSTEM_NS, mi);
  const cs = await settle('no-trust', 'True');
  assert.deepEqual(cs.map((c) => c.type), ['Provider', 'Ready']);
  assert.equal(await api.client.resource(TRUSTS).get(SYSTEM_NS, 'no-trust'), undefined);
});

test('no provider: SPIFFE IDs only (PartiallyReady); an unknown provider: ProviderNotFoundError', async () => {
  await api.client.resource(MIDS).create(SYSTEM_NS, meshIdentity('ids-only', { selector: { dataplane: {} } }));
  assert.deepEqual(brief(await settle('ids-only', 'False')), [
    'SpiffeIDProvider=True/SpiffeIDProvided: Providing only SpiffeIDs for services.',
    'Ready=False/PartiallyReady: Running in SpiffeID providing only mode.',
  ]);
  await api.client.resource(MIDS).create(SYSTEM_NS, meshIdentity('spire', { selector: { dataplane: {} }, provider: { type: 'Spire', spire: {} } }));
  assert.deepEqual(brief(await settle('spire', 'False')), ['Provider=False/ProviderNotFoundError: provider: Spire not found', 'Ready=False/Failure: One of initialization steps failed']);
});

test('validation messages, as the API returns them', async () => {
  const create = (spec: Record<string, unknown>) => api.client.resource(MIDS).create(SYSTEM_NS, meshIdentity(`v-${Math.random().toString(36).slice(2, 8)}`, spec));
  const bundled = (b: Record<string, unknown>) => ({ provider: { type: 'Bundled', bundled: b } });
  const inline = { type: 'InsecureInline', insecureInline: { value: 'x' } };
  await assert.rejects(create(bundled({ autogenerate: { enabled: true }, ca: { certificate: inline, privateKey: inline } })), /spec\.provider\.bundled\.ca: Forbidden: shouldn't be defined once using autogenerated/);
  await assert.rejects(create(bundled({})), (e: Error) => /spec\.provider\.bundled\.ca\.certificate: Required value: must be defined/.test(e.message) && /spec\.provider\.bundled\.ca\.privateKey: Required value: must be defined/.test(e.message));
  await assert.rejects(create({ spiffeID: { path: '/x/{{ .Workload ' } }), /couldn't parse template: template: :1: unclosed action/);
});

test('MeshIdentities outside the system namespace are ignored', async () => {
  await api.client.resource({ group: '', version: 'v1', resource: 'namespaces' }).create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
  const stray = { ...seedMeshIdentity(), metadata: { name: 'stray', namespace: 'apps' } };
  await api.client.resource(MIDS).create('apps', stray);
  // A sentinel in the system namespace, created after it, gets through the same queue.
  const sentinel = seedMeshIdentity();
  sentinel.metadata.name = 'sentinel';
  await api.client.resource(MIDS).create(SYSTEM_NS, sentinel);
  await settle('sentinel', 'True');
  assert.equal(identity.registry.get('apps/stray'), undefined);
  assert.equal((await api.client.resource(MIDS).get('apps', 'stray'))?.status, undefined);
  assert.equal(await api.client.resource(SECRETS).get('apps', 'stray-root-ca'), undefined);
});

test("MeshTrust origin: the deprecated spec.origin moves to status.origin; a user's own trust of the same name gets none", async () => {
  const foreign = await createCa({ commonName: 'Someone Else', trustDomain: 'example.com' });
  const trust = (name: string, extra: Record<string, unknown>): KObject => ({
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'MeshTrust',
    metadata: { name, namespace: SYSTEM_NS, labels: { 'kuma.io/mesh': 'default' } },
    spec: { trustDomain: 'example.com', caBundles: [{ type: 'Pem', pem: { value: foreign.certPem } }], ...extra },
  });
  await api.client.resource(TRUSTS).create(SYSTEM_NS, trust('legacy-origin', { origin: { kri: 'kri_mid_default__kuma-system_legacy-origin_' } }));
  await api.client.resource(TRUSTS).create(SYSTEM_NS, trust('users-own', {}));
  for (const name of ['legacy-origin', 'users-own']) {
    const mi = seedMeshIdentity();
    mi.metadata.name = name;
    await api.client.resource(MIDS).create(SYSTEM_NS, mi);
    await settle(name, 'True');
  }
  const read = async (name: string) => (await api.client.resource(TRUSTS).get(SYSTEM_NS, name))!;
  await eventually(async () => ((await read('legacy-origin')).status as { origin?: { kri?: string } })?.origin?.kri === 'kri_mid_default__kuma-system_legacy-origin_', 'origin moved');
  const own = await read('users-own');
  assert.equal((own.spec as { caBundles: unknown[] }).caBundles.length, 2, "the identity's CA is appended to the user's trust");
  assert.equal(own.status, undefined, 'a trust the control plane did not create records no origin');
});
