import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink } from 'node:fs/promises';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreatePki, type Pki } from './pki.js';

const DAY_MS = 86_400_000;

async function withDataDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'workplane-pki-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('creates the CA and serving cert once and reuses them', () =>
  withDataDir(async (dir) => {
    const first = await loadOrCreatePki(dir, { hosts: [] });
    const second = await loadOrCreatePki(dir, { hosts: [] });
    assert.equal(second.caPem, first.caPem);
    assert.equal(second.certPem, first.certPem);
    assert.equal(second.keyPem, first.keyPem);
    for (const file of ['ca.crt', 'ca.key', 'server.crt', 'server.key']) {
      assert.equal((await stat(join(dir, 'pki', file))).mode & 0o777, 0o600, file);
    }
    assert.equal(await readFile(join(dir, 'pki', 'ca.crt'), 'utf8'), first.caPem);
    assert.match(first.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
  }));

test('the CA is a P-256 CA named workplane-ca valid for ten years', () =>
  withDataDir(async (dir) => {
    const { caPem } = await loadOrCreatePki(dir, { hosts: [] });
    const ca = new X509Certificate(caPem);
    assert.equal(ca.ca, true);
    assert.equal(ca.subject, 'CN=workplane-ca');
    assert.equal(ca.issuer, ca.subject);
    assert.ok(ca.verify(ca.publicKey));
    assert.equal(ca.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    const days = (Date.parse(ca.validTo) - Date.now()) / DAY_MS;
    assert.ok(days > 3640 && days <= 3650, `CA valid for ${days} days`);
  }));

test('the serving cert is signed by the CA and names every host', () =>
  withDataDir(async (dir) => {
    const pki = await loadOrCreatePki(dir, { hosts: ['api.example.test', '10.1.2.3', '[fd00::7]'] });
    const ca = new X509Certificate(pki.caPem);
    const cert = new X509Certificate(pki.certPem);
    assert.ok(cert.checkIssued(ca));
    assert.ok(cert.verify(ca.publicKey));
    assert.equal(cert.ca, false);
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1']); // extKeyUsage serverAuth
    for (const host of ['localhost', 'api.example.test']) assert.equal(cert.checkHost(host), host);
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3', 'fd00::7']) assert.ok(cert.checkIP(ip), ip);
    assert.equal(cert.checkHost('other.example.test'), undefined);
    const days = (Date.parse(cert.validTo) - Date.now()) / DAY_MS;
    assert.ok(days > 360 && days <= 365, `serving cert valid for ${days} days`);
  }));

test('reissues the serving cert for new hosts, keeping the CA', () =>
  withDataDir(async (dir) => {
    const first = await loadOrCreatePki(dir, { hosts: [] });
    const second = await loadOrCreatePki(dir, { hosts: ['192.0.2.10'] });
    assert.equal(second.caPem, first.caPem);
    assert.notEqual(second.certPem, first.certPem);
    assert.ok(new X509Certificate(second.certPem).checkIP('192.0.2.10'));
    // A subset of the hosts already covered needs no new certificate.
    const third = await loadOrCreatePki(dir, { hosts: ['localhost'] });
    assert.equal(third.certPem, second.certPem);
  }));

test('reissues the serving cert within 30 days of expiry, keeping the CA', () =>
  withDataDir(async (dir) => {
    const first = await loadOrCreatePki(dir, { hosts: [] });
    const later = await loadOrCreatePki(dir, { hosts: [], now: new Date(Date.now() + 340 * DAY_MS) });
    assert.equal(later.caPem, first.caPem);
    assert.notEqual(later.certPem, first.certPem);
  }));

test('replaces a CA whose key is lost, and the serving cert with it', () =>
  withDataDir(async (dir) => {
    const first = await loadOrCreatePki(dir, { hosts: [] });
    await unlink(join(dir, 'pki', 'ca.key'));
    const second = await loadOrCreatePki(dir, { hosts: [] });
    assert.notEqual(second.caPem, first.caPem);
    assert.ok(new X509Certificate(second.certPem).checkIssued(new X509Certificate(second.caPem)));
  }));

function get(port: number, ca: string | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk)).on('end', () => resolve(body));
    });
    req.on('error', reject).end();
  });
}

async function withHttpsServer(pki: Pki, fn: (port: number) => Promise<void>): Promise<void> {
  const server = createServer({ cert: pki.certPem, key: pki.keyPem }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await fn((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('node:https serves the cert to clients that trust the CA, and only to them', () =>
  withDataDir(async (dir) => {
    const pki = await loadOrCreatePki(dir, { hosts: [] });
    await withHttpsServer(pki, async (port) => {
      assert.equal(await get(port, pki.caPem), 'ok');
      await assert.rejects(get(port, undefined), (err: NodeJS.ErrnoException) => {
        assert.match(err.code ?? '', /SELF_SIGNED|UNABLE_TO_(GET_ISSUER|VERIFY)/);
        return true;
      });
    });
  }));
