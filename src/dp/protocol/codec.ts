// Wire encoding of DP stream messages: protobuf, described once below. Each
// direction is one message with a oneof, so a peer that meets a variant it
// does not know (a newer proxy or control plane) decodes it to nothing and
// skips it instead of failing the stream. The Dataplane travels as JSON text:
// it is an API object whose schema the API server owns, not this protocol.

import protobuf from 'protobufjs';
import { isPlainObject, type KObject } from '../../api/object.js';
import type { CertificateSigningRequest, ControlPlaneMessage, Goodbye, HealthReport, ProxyMessage } from './messages.js';

const PROTO = `
syntax = "proto3";
package workplane.dp.v1;

message InboundHealth { uint32 port = 1; bool ready = 2; }
message Hello { string namespace = 1; string name = 2; string dataplane_json = 3; string agent_version = 4; }
message HealthReport { repeated InboundHealth inbounds = 1; }
message Goodbye { bool delete_dataplane = 1; }
message CertificateSigningRequest { string csr_pem = 1; }

message ProxyMessage {
  oneof msg {
    Hello hello = 1;
    HealthReport health = 2;
    Goodbye goodbye = 3;
    CertificateSigningRequest csr = 4;
  }
}

message Ack { string subscription_id = 1; string control_plane_instance_id = 2; }
message IdentityMessage { string cert_pem = 1; string bundle_pem = 2; string spiffe_id = 3; string expiration_time = 4; }
message ErrorMessage { string message = 1; }
message CertificateRequest { string key_type = 1; string reason = 2; }

message ControlPlaneMessage {
  oneof msg {
    Ack ack = 1;
    IdentityMessage identity = 2;
    ErrorMessage error = 3;
    CertificateRequest certificate_request = 4;
  }
}
`;

const root = protobuf.parse(PROTO).root;
const proxyType = root.lookupType('workplane.dp.v1.ProxyMessage');
const cpType = root.lookupType('workplane.dp.v1.ControlPlaneMessage');
const TO_OBJECT = { longs: Number, defaults: true, arrays: true } as const;

type Wire = Record<string, unknown>;
type ControlPlaneVariant = ControlPlaneMessage extends infer M ? (M extends unknown ? keyof M : never) : never;
const CONTROL_PLANE_VARIANTS: ReadonlySet<string> = new Set<ControlPlaneVariant>(['ack', 'identity', 'error', 'certificateRequest']);

export function encodeProxyMessage(m: ProxyMessage): Buffer {
  let wire: Wire = m;
  if ('hello' in m) {
    const { dataplane, ...rest } = m.hello;
    wire = { hello: { ...rest, dataplaneJson: dataplane ? JSON.stringify(dataplane) : '' } };
  }
  return Buffer.from(proxyType.encode(proxyType.fromObject(wire)).finish());
}

/** Undefined for a variant this build does not know. */
export function decodeProxyMessage(buf: Buffer): ProxyMessage | undefined {
  const raw = proxyType.toObject(proxyType.decode(buf), { ...TO_OBJECT, oneofs: true }) as Wire;
  switch (raw.msg) {
    case 'hello': {
      const h = raw.hello as { namespace: string; name: string; dataplaneJson: string; agentVersion: string };
      const dataplane = h.dataplaneJson ? (JSON.parse(h.dataplaneJson) as unknown) : undefined;
      if (dataplane !== undefined && !(isPlainObject(dataplane) && isPlainObject(dataplane.metadata))) throw new Error('hello: dataplane is not an object');
      return {
        hello: {
          namespace: h.namespace,
          name: h.name,
          ...(dataplane ? { dataplane: dataplane as KObject } : {}),
          ...(h.agentVersion ? { agentVersion: h.agentVersion } : {}),
        },
      };
    }
    case 'health':
      return { health: raw.health as HealthReport };
    case 'goodbye':
      return { goodbye: raw.goodbye as Goodbye };
    case 'csr':
      return { csr: raw.csr as CertificateSigningRequest };
    default:
      return undefined;
  }
}

export function encodeControlPlaneMessage(m: ControlPlaneMessage): Buffer {
  return Buffer.from(cpType.encode(cpType.fromObject(m as Wire)).finish());
}

export function decodeControlPlaneMessage(buf: Buffer): ControlPlaneMessage | undefined {
  const raw = cpType.toObject(cpType.decode(buf), { ...TO_OBJECT, oneofs: true }) as Wire;
  const kind = raw.msg;
  if (typeof kind === 'string' && CONTROL_PLANE_VARIANTS.has(kind)) return { [kind]: raw[kind] } as ControlPlaneMessage;
  return undefined;
}
