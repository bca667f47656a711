// Identity benchmark: certificates issued per second for 1,000 proxies under
// a P-256 and an RSA-2048 CA, each beside the raw node:crypto signing rate
// of the same key measured in the same run (the ceiling: every certificate
// costs one signature). Two paths are timed: a first issuance, which also
// checks the proxy's CSR signature (one verify), and a re-issue (renewal,
// CA or identity change), which re-signs a key already proved. Then a fleet
// of 10,000 connected proxies: first issuance and the full re-issue after a
// CA change, including every DataplaneInsight status.mTLS write.

import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { coreDefinitions } from '../api/core/index.js';
import { kumaDefinitions } from '../api/kuma/index.js';
import type { KObject } from '../api/object.js';
import { startTestApi } from '../client/testing.js';
import { InsightStore } from '../dp/server/insight-store.js';
import { createCa } from '../identity/ca-generate.js';
import { verifyCsr, type VerifiedKey } from '../identity/der/csr.js';
import { IdentityRegistry } from '../identity/identity-registry.js';
import { Issuer, type Plan } from '../identity/issuer.js';
import type { IdentityControlMessage } from '../identity/messages.js';
import { newKey } from '../identity/proxy-side.js';
import { ProxySessions } from '../identity/proxy-sessions.js';
import { signingCaOf, type SigningCa } from '../identity/signing-ca.js';
import { dataplane, readyEntry, seedMeshIdentity } from '../identity/testing.js';

export interface IdentityBenchOptions {
  proxies?: number;
  fleet?: number;
  rounds?: number;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)}%`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function rate(n: number, fn: (i: number) => void): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn(i);
  return n / ((performance.now() - t0) / 1000);
}

async function signingCa(keyType: string): Promise<{ ca: SigningCa; key: KeyObject }> {
  const pem = await createCa({ commonName: 'example.com', trustDomain: 'example.com', keyType });
  const key = createPrivateKey(pem.keyPem);
  return { ca: signingCaOf(pem.certPem, key), key };
}

/** `n` CSRs from `distinct` keys (RSA keys take ~170 ms each to generate, so few are made and reused). */
async function csrs(keyType: string, n: number, distinct: number): Promise<string[]> {
  const keys: string[] = [];
  for (let i = 0; i < Math.min(n, distinct); i++) keys.push((await newKey(keyType)).csrPem);
  return Array.from({ length: n }, (_, i) => keys[i % keys.length]!);
}

async function perKeyType(label: string, keyType: string, proxies: number, rounds: number, distinct: number): Promise<string> {
  const { ca, key } = await signingCa(keyType);
  const registry = new IdentityRegistry();
  registry.set(readyEntry(seedMeshIdentity(), ca, 'example.com'));
  const issuer = new Issuer(registry);
  const requests = await csrs(keyType, proxies, distinct);
  const dps = requests.map((_, i) => dataplane(`demo-${i}`, { 'kuma.io/workload': 'demo-workload' }));
  const verified: VerifiedKey[] = requests.map((r) => verifyCsr(r));
  // Baselines, with node:crypto alone: signing a TBSCertificate-sized message with the CA key
  // (every certificate's cost), and, for first issuances, also checking a signature with the
  // proxy's key type, importing the key first for EC (~50 µs, OpenSSL's curve check; an RSA key
  // imports as PKCS#1 in ~2 µs): the floor of a first issuance.
  const tbs = Buffer.alloc(ca.keyType.kind === 'rsa' ? 700 : 450, 7);
  const hash = ca.writer.algorithm.hash;
  const csrSig = requests.map((_, i) => sign(hash, tbs, key));
  const pubs = verified.map((v) => v.publicKey.export({ format: 'jwk' }));
  const caPub = ca.cert.publicKey;
  const raw: number[] = [];
  const floor: number[] = [];
  const first: number[] = [];
  const again: number[] = [];
  // Round 0 warms up and is dropped; the median of the rest is reported (the machine is shared).
  for (let r = 0; r <= rounds; r++) {
    const keep = <T>(xs: T[], x: T) => r > 0 && xs.push(x);
    keep(raw, rate(proxies, () => sign(hash, tbs, key)));
    keep(
      floor,
      rate(proxies, (i) => {
        const k = ca.keyType.kind === 'rsa' ? caPub : createPublicKey({ key: pubs[i]!, format: 'jwk' });
        verify(hash, tbs, k, csrSig[i]!);
        sign(hash, tbs, key);
      }),
    );
    keep(
      first,
      rate(proxies, (i) => {
        if (!issuer.issue(dps[i]!, requests[i]!).ok) throw new Error('issue refused');
      }),
    );
    keep(
      again,
      rate(proxies, (i) => {
        const plan = issuer.plan(dps[i]!) as Plan;
        if (!issuer.sign(plan, verified[i]!).ok) throw new Error('re-issue refused');
      }),
    );
  }
  const rs = median(raw);
  const fl = median(floor);
  return (
    `${label} CA, ${fmt(proxies)} proxies: raw crypto.sign ${fmt(rs)}/s | re-issue (renewal, CA or identity change) ${fmt(median(again))}/s = ${pct(median(again), rs)} of raw | ` +
    `first issue with CSR check ${fmt(median(first))}/s = ${pct(median(first), rs)} of raw sign, ${pct(median(first), fl)} of the node:crypto floor (key import + verify + sign ${fmt(fl)}/s)`
  );
}

async function fleet(n: number, distinct: number): Promise<string> {
  const api = await startTestApi([...coreDefinitions, ...kumaDefinitions]);
  try {
    const dpis = api.client.resource({ group: 'kuma.io', version: 'v1alpha1', resource: 'dataplaneinsights' });
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < n) {
          const i = next++;
          await dpis.create('default', { apiVersion: 'kuma.io/v1alpha1', kind: 'DataplaneInsight', metadata: { name: `demo-${i}`, namespace: 'default' } } as KObject);
        }
      }),
    );
    const a = await signingCa('ecdsa-p256');
    const registry = new IdentityRegistry();
    registry.set(readyEntry(seedMeshIdentity(), a.ca, 'example.com'));
    const sessions = new ProxySessions(new Issuer(registry), { insights: new InsightStore(api.client) });
    const requests = await csrs('ecdsa-p256', n, distinct);
    const received = new Uint32Array(n);
    let waiting = 0;
    let wake: (() => void) | undefined;
    const until = (count: number) => {
      waiting = n;
      for (let i = 0; i < n; i++) if (received[i]! >= count) waiting--;
      return waiting === 0 ? Promise.resolve() : new Promise<void>((r) => (wake = r));
    };
    let target = 1;
    for (let i = 0; i < n; i++) {
      sessions.open({
        id: `s-${i}`,
        namespace: 'default',
        name: `demo-${i}`,
        dataplane: dataplane(`demo-${i}`, { 'kuma.io/workload': 'demo-workload' }),
        send: (m: IdentityControlMessage) => {
          if (!('identity' in m)) return;
          if (++received[i]! === target && --waiting === 0) wake?.();
        },
      });
    }
    const t0 = performance.now();
    const firstDone = until(1);
    for (let i = 0; i < n; i++) sessions.request(`s-${i}`, requests[i]!);
    await firstDone;
    const firstSent = performance.now() - t0;
    await sessions.settled();
    const firstAll = performance.now() - t0;

    const b = await signingCa('ecdsa-p256');
    target = 2;
    const t1 = performance.now();
    const changed = until(2);
    registry.set(readyEntry(seedMeshIdentity(), b.ca, 'example.com'));
    await changed;
    const changeSent = performance.now() - t1;
    await sessions.settled();
    const changeAll = performance.now() - t1;
    sessions.stop();
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    return (
      `${fmt(n)} connected proxies (P-256): first issuance ${s(firstSent)} (${fmt(n / (firstSent / 1000))}/s), with status.mTLS written ${s(firstAll)} | ` +
      `after a CA change: all re-issued in ${s(changeSent)} (${fmt(n / (changeSent / 1000))}/s), with status.mTLS written ${s(changeAll)}`
    );
  } finally {
    await api.close();
  }
}

export async function runIdentityBench(opts: IdentityBenchOptions = {}): Promise<string[]> {
  const proxies = opts.proxies ?? 1000;
  const rounds = opts.rounds ?? 6;
  return [
    await perKeyType('P-256', 'ecdsa-p256', proxies, rounds, proxies),
    await perKeyType('RSA-2048', 'rsa-2048', proxies, rounds, 16),
    await fleet(opts.fleet ?? 10_000, 1000),
  ];
}
