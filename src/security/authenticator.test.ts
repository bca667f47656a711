import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { AdminTokenAuthenticator } from './admin-token-authenticator.js';
import { BearerAuthenticator, bearerToken } from './authenticator.js';
import { JwtSigner } from './jwt-signer.js';
import { createServerAuthenticator } from './server-authenticator.js';
import { ServiceAccountTokenAuthenticator } from './service-account-authenticator.js';
import { TokenIssuer } from './token-issuer.js';

const ADMIN = 'admin-token-0123456789abcdefghijklmnopqrstuv';
const T0 = Date.UTC(2030, 0, 1);
const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;

async function setup(opts: { validate?: () => boolean } = {}) {
  let now = T0;
  const clock = () => now;
  const issuer = new TokenIssuer(await JwtSigner.fromPem(keyPem, { clock }));
  let verifications = 0;
  const verify = issuer.verify.bind(issuer);
  issuer.verify = (token) => {
    verifications++;
    return verify(token);
  };
  const sa = new ServiceAccountTokenAuthenticator(issuer, { cacheTtlMs: 10_000, ...opts });
  const authn = new BearerAuthenticator([new AdminTokenAuthenticator(ADMIN), sa]);
  const { token } = await issuer.issue({ namespace: 'ns1', serviceAccount: 'sa1', uid: 'u1', expirationSeconds: 600 });
  return { authn, issuer, token, verifications: () => verifications, setNow: (ms: number) => void (now = ms) };
}

test('bearerToken parses the header leniently but exactly', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('bearer   abc  '), 'abc');
  assert.equal(bearerToken('Basic YWJjOmRlZg=='), null);
  assert.equal(bearerToken('Bearer a b'), null);
  assert.equal(bearerToken('Bearer '), null);
  assert.equal(bearerToken(undefined), null);
});

test('the admin token authenticates as admin in system:masters', async () => {
  const authn = createServerAuthenticator({ adminToken: ADMIN, tokenIssuer: new TokenIssuer(await JwtSigner.fromPem(keyPem)) });
  const user = await authn.authenticate(`Bearer ${ADMIN}`);
  assert.deepEqual(user, { username: 'admin', groups: ['system:masters', 'system:authenticated'], extra: {} });
  assert.equal(await authn.authenticate(`Bearer ${ADMIN}x`), null);
  assert.equal(await authn.authenticate(`Bearer ${ADMIN.slice(1)}`), null);
  assert.equal(await authn.authenticate(undefined), null);
  assert.equal(await authn.authenticate(ADMIN), null);
});

test('ServiceAccount tokens authenticate as their ServiceAccount', async () => {
  const { authn, token } = await setup();
  const user = await authn.authenticate(`Bearer ${token}`);
  assert.equal(user?.username, 'system:serviceaccount:ns1:sa1');
  assert.equal(user?.uid, 'u1');
  assert.deepEqual(user?.groups, ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated']);
  assert.equal(await authn.authenticate(`Bearer ${token.slice(0, -2)}`), null);
});

test('verified tokens are remembered until the cache TTL or the token expires', async () => {
  const { authn, token, verifications, setNow } = await setup();
  await authn.authenticate(`Bearer ${token}`);
  const again = await authn.authenticate(`Bearer ${token}`);
  assert.equal(again?.username, 'system:serviceaccount:ns1:sa1');
  assert.equal(verifications(), 1);
  setNow(T0 + 10_000);
  assert.ok(await authn.authenticate(`Bearer ${token}`));
  assert.equal(verifications(), 2);
  // The cache never outlives the token: the entry made at T0+595s ends at expiry (T0+600s).
  setNow(T0 + 595_000);
  assert.ok(await authn.authenticate(`Bearer ${token}`));
  setNow(T0 + 600_000);
  assert.equal(await authn.authenticate(`Bearer ${token}`), null);
});

test('a validate hook can reject tokens of deleted ServiceAccounts', async () => {
  const { authn, token } = await setup({ validate: () => false });
  assert.equal(await authn.authenticate(`Bearer ${token}`), null);
});

test('non-JWT tokens never reach the verifier', async () => {
  const { authn, verifications } = await setup();
  assert.equal(await authn.authenticate('Bearer something-else'), null);
  assert.equal(verifications(), 0);
});
