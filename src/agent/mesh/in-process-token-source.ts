// Pod tokens for the agent that runs inside the control plane: signed by the
// same TokenIssuer the API server's TokenRequest handler uses, so the result
// is exactly what a TokenRequest would have returned, without the HTTP hop.

import type { KObject } from '../../api/object.js';
import type { Client } from '../../client/types.js';
import { podServiceAccount } from '../../mesh/pod-mesh.js';
import type { TokenIssuer } from '../../security/token-issuer.js';
import { DEFAULT_TOKEN_SECONDS, expiryOf, podBinding, SERVICE_ACCOUNTS, type PodToken, type PodTokenSource } from './pod-token-source.js';

export class InProcessTokenSource implements PodTokenSource {
  constructor(
    private readonly client: Client,
    private readonly issuer: TokenIssuer,
    private readonly expirationSeconds = DEFAULT_TOKEN_SECONDS,
  ) {}

  async token(pod: KObject): Promise<PodToken> {
    const namespace = pod.metadata.namespace ?? 'default';
    const serviceAccount = podServiceAccount(pod);
    // The token names the account's uid, as Kubernetes' do; a missing account is worth retrying (admission may be creating it).
    const sa = await this.client.resource(SERVICE_ACCOUNTS).get(namespace, serviceAccount);
    if (!sa?.metadata.uid) throw new Error(`pod token: serviceaccount "${namespace}/${serviceAccount}" not found`);
    const issued = await this.issuer.issue({
      namespace,
      serviceAccount,
      uid: sa.metadata.uid,
      expirationSeconds: this.expirationSeconds,
      boundObject: podBinding(pod),
    });
    return { token: issued.token, expiresAt: expiryOf(issued.expirationTimestamp) };
  }
}
