// Pod tokens for a remote agent: a TokenRequest
// (POST /api/v1/namespaces/NS/serviceaccounts/SA/token) through the agent's
// own connection to the API server, bound to the pod as kubelet binds the
// tokens it projects into pods.

import type { KObject } from '../../api/object.js';
import type { HttpTransport } from '../../client/http-transport.js';
import { podServiceAccount } from '../../mesh/pod-mesh.js';
import { DEFAULT_TOKEN_SECONDS, expiryOf, podBinding, type PodToken, type PodTokenSource } from './pod-token-source.js';

/** The one call this source needs from HttpTransport (a stub in tests). */
export type TokenRequestTransport = Pick<HttpTransport, 'request'>;

export class HttpTokenSource implements PodTokenSource {
  constructor(
    private readonly transport: TokenRequestTransport,
    private readonly expirationSeconds = DEFAULT_TOKEN_SECONDS,
  ) {}

  async token(pod: KObject): Promise<PodToken> {
    const namespace = pod.metadata.namespace ?? 'default';
    const serviceAccount = podServiceAccount(pod);
    const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${encodeURIComponent(serviceAccount)}/token`;
    const { body } = await this.transport.request('POST', path, {
      body: {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { expirationSeconds: this.expirationSeconds, boundObjectRef: { apiVersion: 'v1', ...podBinding(pod) } },
      },
    });
    const status = (body as { status?: { token?: unknown; expirationTimestamp?: unknown } } | undefined)?.status;
    if (typeof status?.token !== 'string' || !status.token) throw new Error(`pod token: TokenRequest for ${namespace}/${serviceAccount} returned no token`);
    return { token: status.token, expiresAt: expiryOf(status.expirationTimestamp) };
  }
}
