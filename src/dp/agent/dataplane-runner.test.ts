// The runner's session hooks, as `dp run --identity-dir` uses them: the
// proxy side of identity sends a CSR once the session is live, and a
// certificateRequest from the control plane (through the real codec) makes
// it send a new one for the key type asked for.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyCsr } from '../../identity/der/csr.js';
import { identitySessionHooks, ProxyIdentity } from '../../identity/proxy-side.js';
import { dataplaneManifest, DpEnv, eventually } from '../testing/dp-env.js';
import { runDataplane } from './dataplane-runner.js';

let env: DpEnv;
let dir: string;
before(async () => {
  env = await DpEnv.start();
  dir = mkdtempSync(join(tmpdir(), 'wp-runner-identity-'));
});
after(async () => {
  await env.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('session hooks: a CSR on connect, a new one of the requested key type on certificateRequest', async () => {
  const keyTypes: string[] = [];
  env.dp.addHandler({
    onMessage: (session, msg) => {
      if (!('csr' in msg)) return false;
      const key = verifyCsr(msg.csr.csrPem);
      keyTypes.push(key.publicKey.asymmetricKeyType!);
      if (keyTypes.length === 1) session.send({ certificateRequest: { keyType: 'rsa-2048', reason: 'the CA signs rsa-2048 keys' } });
      return true;
    },
  });
  const hooks = identitySessionHooks(new ProxyIdentity({ dir }));
  const states: string[] = [];
  const received: string[] = [];
  const stop = new AbortController();
  const running = runDataplane({
    dataplane: dataplaneManifest('runner-1', { workload: 'web', ports: [] }),
    address: env.dp.address,
    caPem: env.pki.caPem,
    token: await env.token({ mesh: 'default', workload: 'web' }),
    signal: stop.signal,
    onMessage: (m) => {
      received.push(Object.keys(m)[0]!);
      hooks.onMessage(m);
    },
    onStateChange: (s) => {
      states.push(s);
      hooks.onStateChange(s);
    },
    onSession: (s) => hooks.attach(s),
  });
  await eventually(async () => keyTypes.length, (n) => n === 2);
  assert.deepEqual(keyTypes, ['ec', 'rsa']);
  assert.deepEqual(received, ['ack', 'certificateRequest']);
  stop.abort();
  await running;
  assert.deepEqual(states, ['connected', 'closed']);
  assert.equal(await env.dataplanes().get('default', 'runner-1'), undefined, 'goodbye deleted the Dataplane');
});
