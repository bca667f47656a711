import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { TokenIssuer } from './token-issuer.js';

async function withDataDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'workplane-tokens-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const T0 = Date.UTC(2030, 0, 1);

function clockAt(ms: number): { clock: () => number; set(ms: number): void } {
  let now = ms;
  return { clock: () => now, set: (ms) => void (now = ms) };
}

const request = { namespace: 'team-a', serviceAccount: 'builder', uid: 'uid-1', expirationSeconds: 3600 };

test('issues Kubernetes-shaped ServiceAccount tokens and verifies them', () =>
  withDataDir(async (dir) => {
    const issuer = await TokenIssuer.loadOrCreate(dir, { clock: () => T0 });
    const { token, expirationTimestamp } = await issuer.issue({
      ...request,
      boundObject: { kind: 'Pod', name: 'web-0', uid: 'pod-uid' },
    });
    assert.equal(expirationTimestamp, '2030-01-01T01:00:00Z');
    assert.equal(decodeProtectedHeader(token).alg, 'ES256');
    const claims = decodeJwt(token);
    assert.equal(claims.iss, 'https://workplane.local');
    assert.equal(claims.sub, 'system:serviceaccount:team-a:builder');
    assert.deepEqual(claims.aud, ['https://workplane.local']);
    assert.equal(claims.iat, T0 / 1000);
    assert.equal(claims.nbf, T0 / 1000);
    assert.equal(claims.exp, T0 / 1000 + 3600);
    assert.deepEqual(claims['kubernetes.io'], {
      namespace: 'team-a',
      serviceaccount: { name: 'builder', uid: 'uid-1' },
      pod: { name: 'web-0', uid: 'pod-uid' },
    });

    const user = await issuer.verify(token);
    assert.ok(user);
    assert.equal(user.username, 'system:serviceaccount:team-a:builder');
    assert.equal(user.uid, 'uid-1');
    assert.deepEqual(user.groups, ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated']);
    assert.equal(user.namespace, 'team-a');
    assert.equal(user.serviceAccount, 'builder');
    assert.deepEqual(user.extra['authentication.kubernetes.io/pod-name'], ['web-0']);
    assert.deepEqual(user.extra['authentication.kubernetes.io/pod-uid'], ['pod-uid']);
    assert.deepEqual(user.extra['authentication.kubernetes.io/credential-id'], [`JTI=${claims.jti}`]);
  }));

test('keeps the signing key across restarts, mode 0600', () =>
  withDataDir(async (dir) => {
    const { token } = await (await TokenIssuer.loadOrCreate(dir)).issue(request);
    const restarted = await TokenIssuer.loadOrCreate(dir);
    assert.ok(await restarted.verify(token));
    assert.equal((await stat(join(dir, 'pki', 'sa.key'))).mode & 0o777, 0o600);
  }));

test('rejects tokens signed by another key', () =>
  withDataDir(async (dir) => {
    const { token } = await (await TokenIssuer.loadOrCreate(join(dir, 'a'))).issue(request);
    assert.equal(await (await TokenIssuer.loadOrCreate(join(dir, 'b'))).verify(token), null);
  }));

test('rejects expired and not-yet-valid tokens', () =>
  withDataDir(async (dir) => {
    const time = clockAt(T0);
    const issuer = await TokenIssuer.loadOrCreate(dir, { clock: time.clock });
    const { token } = await issuer.issue({ ...request, expirationSeconds: 600 });
    time.set(T0 + 599_000);
    assert.ok(await issuer.verify(token));
    time.set(T0 + 600_000);
    assert.equal(await issuer.verify(token), null);
    time.set(T0 - 60_000);
    assert.equal(await issuer.verify(token), null);
  }));

test('rejects tampered tokens', () =>
  withDataDir(async (dir) => {
    const issuer = await TokenIssuer.loadOrCreate(dir);
    const { token } = await issuer.issue(request);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    claims['kubernetes.io'].namespace = 'kube-system';
    claims.sub = 'system:serviceaccount:kube-system:builder';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    assert.equal(await issuer.verify(forged), null);
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    assert.equal(await issuer.verify(`${header}.${payload}.${flipped}`), null);
    assert.equal(await issuer.verify(`${header}.${payload}.`), null);
    assert.equal(await issuer.verify('not a jwt'), null);
  }));

test('rejects tokens for other audiences', () =>
  withDataDir(async (dir) => {
    const issuer = await TokenIssuer.loadOrCreate(dir);
    const { token } = await issuer.issue({ ...request, audiences: ['vault'] });
    assert.equal(await issuer.verify(token), null);
    assert.equal((await issuer.verifyClaims(token, 'vault'))?.sub, 'system:serviceaccount:team-a:builder');
  }));

test('honours a configured issuer and API audiences', () =>
  withDataDir(async (dir) => {
    const issuer = await TokenIssuer.loadOrCreate(dir, { issuer: 'https://issuer.test', apiAudiences: ['api', 'other'] });
    const { token } = await issuer.issue(request);
    assert.equal(decodeJwt(token).iss, 'https://issuer.test');
    assert.deepEqual(decodeJwt(token).aud, ['api', 'other']);
    assert.ok(await issuer.verify(token));
    const elsewhere = await TokenIssuer.loadOrCreate(dir, { apiAudiences: ['api'] });
    assert.equal(await elsewhere.verify(token), null, 'issuer must match');
  }));

test('signs custom claims for other token kinds, kept apart by audience', () =>
  withDataDir(async (dir) => {
    const time = clockAt(T0);
    const issuer = await TokenIssuer.loadOrCreate(dir, { clock: time.clock });
    const token = await issuer.signClaims({ sub: 'dp:web-0', mesh: 'default' }, { audience: 'workplane-dataplane', expiresIn: 60 });
    const claims = await issuer.verifyClaims(token, 'workplane-dataplane');
    assert.equal(claims?.mesh, 'default');
    assert.equal(claims?.exp, T0 / 1000 + 60);
    assert.equal(await issuer.verifyClaims(token, 'https://workplane.local'), null);
    assert.equal(await issuer.verify(token), null);
    // Even with the API audience, a token without ServiceAccount claims is no ServiceAccount.
    const apiAudience = await issuer.signClaims({ sub: 'dp:web-0' }, { audience: issuer.apiAudiences, expiresIn: 60 });
    assert.equal(await issuer.verify(apiAudience), null);
    time.set(T0 + 60_000);
    assert.equal(await issuer.verifyClaims(token, 'workplane-dataplane'), null);
    await assert.rejects(issuer.signClaims({}, { audience: 'x', expiresIn: 0 }), RangeError);
  }));
