import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from '../storage/types.js';
import { withDirsAndStore } from '../testing/dirs-and-store.js';
import { loadOrCreateAdminToken } from './admin-token.js';
import { loadOrCreatePki } from './pki.js';
import { parseSecretsKeyring } from './secrets-keyring.js';
import { CLUSTER_SECRETS_KEY, loadOrCreateSharedSecrets } from './shared-secrets.js';
import { syncDataDirWithSharedSecrets } from './shared-secrets-files.js';
import { TokenIssuer } from './token-issuer.js';

const ring = (...keys: Buffer[]) => parseSecretsKeyring(keys.map((k) => k.toString('base64')).join('\n'), 'test');
const [k1, k2] = [randomBytes(32), randomBytes(32)];
const saRequest = { namespace: 'ns', serviceAccount: 'sa', uid: 'u1', expirationSeconds: 3600 };

test('creates the record once, sealed, and later replicas read the same secrets', () =>
  withDirsAndStore(2, async ([a, b], store) => {
    const first = await loadOrCreateSharedSecrets(store, { dataDir: a, keyring: ring(k1) });
    assert.equal(first.created, true);
    assert.deepEqual(first.imported, []);
    const second = await loadOrCreateSharedSecrets(store, { dataDir: b, keyring: ring(k1) });
    assert.equal(second.created, false);
    assert.deepEqual(second.secrets, first.secrets);
    const raw = (await store.get(CLUSTER_SECRETS_KEY))!.value;
    const doc = JSON.parse(raw);
    assert.equal(doc.kind, 'ClusterSecrets');
    assert.equal(doc.encryption, 'aes-256-gcm');
    assert.ok(!raw.includes('PRIVATE KEY') && !raw.includes(first.secrets.adminToken), 'nothing readable at rest');
    // Nothing under /registry/: no API serves it and the watch cache never holds it.
    assert.equal(await store.count('/registry/'), 0);
  }));

test('two replicas starting at once agree on one set of secrets', () =>
  withDirsAndStore(2, async ([a, b], store) => {
    // Both read "absent" before either writes: the create-if-absent write decides.
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((r) => (release = r));
    const racing: Store = Object.create(store);
    racing.get = async (key: string) => {
      const kv = await store.get(key);
      if (++arrived === 2) release();
      await bothRead;
      return kv;
    };
    const [x, y] = await Promise.all([a, b].map((dataDir) => loadOrCreateSharedSecrets(racing, { dataDir, keyring: ring(k1) })));
    assert.deepEqual(x.secrets, y.secrets);
    assert.deepEqual([x.created, y.created].sort(), [false, true]);
    const issuerX = await TokenIssuer.fromPem(x.secrets.signingKeyPem);
    const issuerY = await TokenIssuer.fromPem(y.secrets.signingKeyPem);
    assert.ok(await issuerY.verify((await issuerX.issue(saRequest)).token));
  }));

test("imports an existing data directory's CA, signing key and admin token", () =>
  withDirsAndStore(1, async ([dir], store) => {
    const pki = await loadOrCreatePki(dir, { hosts: [] });
    const adminToken = await loadOrCreateAdminToken(dir);
    const oldToken = (await (await TokenIssuer.loadOrCreate(dir)).issue(saRequest)).token;
    const res = await loadOrCreateSharedSecrets(store, { dataDir: dir, keyring: ring(k1) });
    assert.deepEqual(res.imported.sort(), ['adminToken', 'ca', 'signingKey']);
    assert.equal(res.secrets.ca.certPem, pki.caPem);
    assert.equal(res.secrets.ca.keyPem, pki.caKeyPem);
    assert.equal(res.secrets.adminToken, adminToken);
    assert.equal((await (await TokenIssuer.fromPem(res.secrets.signingKeyPem)).verify(oldToken))?.username, 'system:serviceaccount:ns:sa');
    assert.deepEqual(await syncDataDirWithSharedSecrets(dir, res.secrets), [], 'the data directory already agrees');
  }));

test('a replica that had its own CA sets its files aside and takes the shared ones', () =>
  withDirsAndStore(2, async ([a, b], store) => {
    const shared = (await loadOrCreateSharedSecrets(store, { dataDir: a, keyring: ring(k1) })).secrets;
    const own = await loadOrCreatePki(b, { hosts: [] });
    await TokenIssuer.loadOrCreate(b);
    await loadOrCreateAdminToken(b);
    const res = await loadOrCreateSharedSecrets(store, { dataDir: b, keyring: ring(k1) });
    assert.equal(res.secrets.ca.certPem, shared.ca.certPem);
    const notes = await syncDataDirWithSharedSecrets(b, res.secrets);
    assert.equal(notes.length, 3);
    assert.match(notes[0], /different CA .*ca\.crt\.superseded.*kubeconfigs pinned to it must be replaced/);
    assert.equal(await readFile(join(b, 'pki', 'ca.crt'), 'utf8'), shared.ca.certPem);
    assert.equal(await readFile(join(b, 'pki', 'ca.crt.superseded'), 'utf8'), own.caPem);
    await assert.rejects(stat(join(b, 'pki', 'ca.key')), { code: 'ENOENT' }, 'no private key of the shared CA on disk');
    await assert.rejects(stat(join(b, 'pki', 'sa.key')), { code: 'ENOENT' });
    assert.equal((await readFile(join(b, 'admin.token'), 'utf8')).trim(), shared.adminToken);
    // The serving certificate of this replica is reissued under the shared CA.
    const pki = await loadOrCreatePki(b, { hosts: ['10.0.0.2'], ca: res.secrets.ca });
    assert.ok(new X509Certificate(pki.certPem).checkIssued(new X509Certificate(shared.ca.certPem)));
    assert.equal(pki.caKeyPem, shared.ca.keyPem);
  }));

test('a key file without the sealing key, or no key file, cannot open the record', () =>
  withDirsAndStore(1, async ([dir], store) => {
    await loadOrCreateSharedSecrets(store, { dataDir: dir, keyring: ring(k1) });
    await assert.rejects(loadOrCreateSharedSecrets(store, { dataDir: dir, keyring: ring(k2) }), /encrypted with key [0-9a-f]{16}, which is not in --secrets-key-file/);
    await assert.rejects(loadOrCreateSharedSecrets(store, { dataDir: dir }), /is encrypted .*--secrets-key-file/);
  }));

test('rotating keys re-encrypts with the new first key; a plaintext record is encrypted once a key is given', () =>
  withDirsAndStore(1, async ([dir], store) => {
    const plain = await loadOrCreateSharedSecrets(store, { dataDir: dir });
    assert.equal(JSON.parse((await store.get(CLUSTER_SECRETS_KEY))!.value).encryption, 'none');
    const sealed = await loadOrCreateSharedSecrets(store, { dataDir: dir, keyring: ring(k1) });
    assert.equal(sealed.resealed, true);
    assert.deepEqual(sealed.secrets, plain.secrets);
    const rotated = await loadOrCreateSharedSecrets(store, { dataDir: dir, keyring: ring(k2, k1) });
    assert.equal(rotated.resealed, true);
    const afterwards = await loadOrCreateSharedSecrets(store, { dataDir: dir, keyring: ring(k2) });
    assert.equal(afterwards.resealed, false);
    assert.deepEqual(afterwards.secrets, plain.secrets);
  }));

test('a damaged record is named, not replaced', () =>
  withDirsAndStore(1, async ([dir], store) => {
    await store.create(CLUSTER_SECRETS_KEY, '{"apiVersion":"workplane.dev/v1","kind":"ClusterSecrets","encryption":"none","plaintext":"{\\"caCertPem\\":\\"x\\"}"}');
    await assert.rejects(loadOrCreateSharedSecrets(store, { dataDir: dir }), /cluster secrets record \(\/workplane\/cluster-secrets\): caKeyPem is missing/);
  }));
