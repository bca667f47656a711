// `workplane token node`: a bootstrap token for a new node agent, so its host
// needs no admin credential: `workplane agent --server URL --token TOKEN
// --ca-file ca.crt`. The token is a Secret in kube-system (as kubeadm's);
// deleting it revokes it, and it expires by itself.

import { randomInt } from 'node:crypto';
import type { HttpTransport } from '../client/http-transport.js';
import { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_TYPE, bootstrapTokenSecretName } from '../security/bootstrap-token.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const random = (n: number) => Array.from({ length: n }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Creates the Secret and returns `<id>.<secret>`; it expires after `validForSeconds`. */
export async function createBootstrapToken(transport: HttpTransport, validForSeconds: number, now = Date.now()): Promise<{ token: string; expiration: string }> {
  const id = random(6);
  const secret = random(16);
  const expiration = new Date(now + validForSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await transport.request('POST', `/api/v1/namespaces/${BOOTSTRAP_TOKEN_NAMESPACE}/secrets`, {
    body: {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: bootstrapTokenSecretName(id), namespace: BOOTSTRAP_TOKEN_NAMESPACE },
      type: BOOTSTRAP_TOKEN_TYPE,
      data: {
        'token-id': b64(id),
        'token-secret': b64(secret),
        expiration: b64(expiration),
        'usage-bootstrap-authentication': b64('true'),
        description: b64('workplane token node: joins a node agent'),
      },
    },
  });
  return { token: `${id}.${secret}`, expiration };
}
