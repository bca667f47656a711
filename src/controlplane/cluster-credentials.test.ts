import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, X509Certificate } from 'node:crypto';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { withDirsAndStore } from '../testing/dirs-and-store.js';
import { loadClusterCredentials } from './cluster-credentials.js';

const log = pino({ level: 'silent' });
const request = { namespace: 'ns', serviceAccount: 'sa', uid: 'u', expirationSeconds: 600 };

test('with a key file, replicas share CA, signing key and admin token; serving certificates stay their own', () =>
  withDirsAndStore(3, async ([keys, a, b], store) => {
    const keyFile = join(keys, 'secrets.key');
    await writeFile(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    const opts = { storage: 'etcd' as const, secretsKeyFile: keyFile };
    const ca = await loadClusterCredentials(store, a, ['10.0.0.1'], opts, log);
    const cb = await loadClusterCredentials(store, b, ['10.0.0.2'], opts, log);
    assert.equal(ca.kept, 'store');
    assert.equal(cb.pki.caPem, ca.pki.caPem);
    assert.equal(cb.adminToken, ca.adminToken);
    assert.ok(await cb.tokens.verify((await ca.tokens.issue(request)).token));
    const root = new X509Certificate(ca.pki.caPem);
    const [certA, certB] = [new X509Certificate(ca.pki.certPem), new X509Certificate(cb.pki.certPem)];
    assert.ok(certA.checkIssued(root) && certB.checkIssued(root));
    assert.ok(certA.checkIP('10.0.0.1') && !certA.checkIP('10.0.0.2'));
    assert.ok(certB.checkIP('10.0.0.2') && !certB.checkIP('10.0.0.1'));
    for (const key of ['ca.key', 'sa.key']) await assert.rejects(stat(join(b, 'pki', key)), { code: 'ENOENT' });
  }));

test('without a key file, sqlite and memory keep the secrets in the data dir; etcd refuses', () =>
  withDirsAndStore(3, async ([a], store) => {
    const files = await loadClusterCredentials(store, a, [], { storage: 'memory' }, log);
    assert.equal(files.kept, 'data-dir');
    assert.equal(await store.count('/'), 0, 'nothing in the store');
    assert.ok((await stat(join(a, 'pki', 'sa.key'))).isFile());
    await assert.rejects(loadClusterCredentials(store, a, [], { storage: 'etcd' }, log), /--secrets-key-file FILE .*--allow-unencrypted-secrets/);
    const plain = await loadClusterCredentials(store, a, [], { storage: 'etcd', allowUnencryptedSecrets: true }, log);
    assert.equal(plain.kept, 'store');
    // The data dir's existing CA and token were imported, so its kubeconfigs keep working.
    assert.equal(plain.pki.caPem, files.pki.caPem);
    assert.equal(plain.adminToken, files.adminToken);
  }));
