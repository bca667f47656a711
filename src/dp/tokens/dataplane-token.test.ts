import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { JwtSigner, TokenIssuer } from '../../security/index.js';
import { issueDataplaneToken, verifyDataplaneToken } from './dataplane-token.js';

const pem = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;

test('dataplane tokens carry mesh, workload and namespace, and expire', async () => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const signer = await JwtSigner.fromPem(pem(), { clock: () => now });
  const { token, expirationTimestamp } = await issueDataplaneToken(signer, { mesh: 'm', workload: 'w', namespace: 'ns' }, 3600);
  assert.equal(expirationTimestamp, '2026-01-01T01:00:00Z');
  assert.deepEqual(await verifyDataplaneToken(signer, token), { mesh: 'm', workload: 'w', namespace: 'ns' });
  const any = await issueDataplaneToken(signer, { mesh: 'm', workload: 'w' });
  assert.deepEqual(await verifyDataplaneToken(signer, any.token), { mesh: 'm', workload: 'w' });
  now += 3601_000;
  assert.equal(await verifyDataplaneToken(signer, token), null);
});

test('dataplane and ServiceAccount tokens do not pass for each other', async () => {
  const signer = await JwtSigner.fromPem(pem());
  const issuer = new TokenIssuer(signer);
  const sa = await issuer.issue({ namespace: 'default', serviceAccount: 'default', uid: 'u', expirationSeconds: 600 });
  assert.equal(await verifyDataplaneToken(signer, sa.token), null);
  const dp = await issueDataplaneToken(signer, { mesh: 'm', workload: 'w' });
  assert.equal(await issuer.verify(dp.token), null);
  const foreign = await issueDataplaneToken(await JwtSigner.fromPem(pem()), { mesh: 'm', workload: 'w' });
  assert.equal(await verifyDataplaneToken(signer, foreign.token), null);
});
