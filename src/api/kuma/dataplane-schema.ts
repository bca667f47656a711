// Schema of Dataplane.spec: the networking of one data plane proxy as Kuma
// describes it. Inbounds are modelled in full because workload health and
// identity read them; outbounds, gateway and probes are kept as sent.

import { Type } from '@sinclair/typebox';
import { bool, int32, listOf, openObject, opt, str, strEnum, stringMap } from '../schemas/index.js';

export const INBOUND_STATES = ['Ready', 'NotReady', 'Ignored'] as const;
export type InboundState = (typeof INBOUND_STATES)[number];

const port = (description: string) => int32(description);

export const InboundSchema = Type.Object(
  {
    port: port('Port the proxy listens on for this inbound (1-65535).'),
    servicePort: opt(port('Port of the application behind the proxy; defaults to `port`.')),
    serviceAddress: opt(str('Address of the application behind the proxy; defaults to the inbound address.')),
    address: opt(str('IP address the inbound listens on; defaults to `networking.address`.')),
    name: opt(str('Name of the inbound, unique within the dataplane.')),
    tags: opt(stringMap('Tags of the inbound (`kuma.io/service`, `kuma.io/protocol`, ...).')),
    state: opt(strEnum('`Ready`, `NotReady` or `Ignored`; absent means `Ready`.', INBOUND_STATES)),
    health: opt(
      Type.Object(
        { ready: opt(bool('Whether the application behind the inbound passes its health check.')) },
        { description: 'Health of the inbound as last reported by the proxy; absent means healthy.' },
      ),
    ),
    serviceProbe: opt(openObject('Probe the proxy runs against the application; kept as sent.')),
  },
  { description: 'One inbound listener of the proxy.', required: ['port'] },
);

export const DataplaneSpecSchema = Type.Object(
  {
    networking: opt(
      Type.Object(
        {
          address: opt(str('IP address or hostname other proxies reach this one at. Required.')),
          advertisedAddress: opt(str('Address announced to other proxies when `address` is not routable from them.')),
          inbound: opt(listOf('Inbound listeners, one per application port.', InboundSchema, { listType: 'atomic' })),
          outbound: opt(listOf('Outbound listeners; kept as sent.', openObject('One outbound listener.'), { listType: 'atomic' })),
          gateway: opt(openObject('Gateway mode settings; kept as sent.')),
          transparentProxying: opt(openObject('Transparent proxy settings; kept as sent.')),
          admin: opt(
            Type.Object({ port: opt(port('Port of the Envoy admin API (1-65535).')) }, { description: 'Envoy admin API settings.' }),
          ),
        },
        { description: 'Addresses and listeners of the proxy.' },
      ),
    ),
    probes: opt(openObject('Virtual probe endpoint settings; kept as sent.')),
    metrics: opt(openObject('Metrics settings of this proxy; kept as sent.')),
  },
  { description: 'Desired state of the data plane proxy.' },
);
