// DataplaneInsight (kuma.io/v1alpha1): what the control plane knows about one
// proxy's connections (one subscription per DP stream) and its certificate.
// Only the control plane writes it, through the status subresource.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { isPlainObject, type KObject } from '../object.js';
import { int64, listOf, opt, str, stringList, time } from '../schemas/index.js';

const counter = (description: string) => int64(description, { minimum: 0 });

export const SubscriptionSchema = Type.Object(
  {
    id: str('Unique id of the subscription (one DP stream).'),
    controlPlaneInstanceId: str('Control plane instance that served the stream.'),
    connectTime: opt(time('When the proxy connected.')),
    disconnectTime: opt(time('When the stream ended; absent while connected.')),
    status: opt(
      Type.Object(
        {
          lastUpdateTime: opt(time('When the control plane last sent configuration on this stream.')),
          total: opt(
            Type.Object(
              {
                responsesSent: opt(counter('Responses sent on this stream.')),
                responsesAcknowledged: opt(counter('Responses the proxy acknowledged.')),
                responsesRejected: opt(counter('Responses the proxy rejected.')),
              },
              { description: 'Totals over all resource types.', 'x-kubernetes-preserve-unknown-fields': true },
            ),
          ),
        },
        { description: 'Configuration delivery statistics; per-type details are kept as sent.', 'x-kubernetes-preserve-unknown-fields': true },
      ),
    ),
    version: opt(Type.Object({}, { description: 'Versions of the proxy and its dependencies; kept as sent.', 'x-kubernetes-preserve-unknown-fields': true })),
    generation: opt(counter('Times the control plane regenerated this subscription.')),
  },
  { description: 'One stream between the proxy and a control plane instance.', required: ['id', 'controlPlaneInstanceId'] },
);

export const MtlsInsightSchema = Type.Object(
  {
    certificateExpirationTime: opt(time('When the current certificate expires.')),
    lastCertificateRegeneration: opt(time('When the current certificate was issued.')),
    certificateRegenerations: opt(counter('Certificates issued to the proxy so far.')),
    issuedBackend: opt(str('Identity (provider) that issued the current certificate.')),
    supportedBackends: opt(stringList('Identities the proxy trusts certificates from.')),
    spiffeID: opt(str('SPIFFE ID in the current certificate.')),
  },
  { description: 'The identity certificate delivered to the proxy.' },
);

export const dataplaneInsightDefinition: ResourceDefinition = defineResource({
  group: 'kuma.io',
  version: 'v1alpha1',
  kind: 'DataplaneInsight',
  plural: 'dataplaneinsights',
  singular: 'dataplaneinsight',
  shortNames: ['dpi'],
  categories: ['kuma'],
  namespaced: true,
  description: 'DataplaneInsight records the connections and the certificate of the Dataplane of the same name; written by the control plane.',
  schema: Type.Object(
    {
      status: opt(
        Type.Object(
          {
            subscriptions: opt(listOf('Streams of the proxy, oldest first.', SubscriptionSchema, { listType: 'atomic' })),
            mTLS: opt(MtlsInsightSchema),
          },
          { description: 'Observed connections and certificate of the proxy.' },
        ),
      ),
    },
    { description: 'A data plane proxy insight.' },
  ),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'Connected', type: 'string', description: 'Whether the latest stream is open.', value: (dpi) => String(isInsightConnected(dpi)) },
    ageColumn,
  ],
});

/**
 * Connected: the latest subscription has connected and not disconnected. The
 * latest only, so a stale subscription of a vanished control plane instance
 * cannot keep a proxy looking online.
 */
export function isInsightConnected(dpi: KObject | undefined): boolean {
  if (!dpi) return false;
  const subs = section(dpi, 'status').subscriptions;
  if (!Array.isArray(subs) || subs.length === 0) return false;
  const last = subs[subs.length - 1];
  return isPlainObject(last) && !!last.connectTime && !last.disconnectTime;
}
