// Decodes the Kubernetes protobuf request bodies (`application/vnd.kubernetes.protobuf`)
// that kubectl sends for a few typed calls (`create namespace`, `create
// serviceaccount`, `create configmap`, `create secret generic`, `create token`,
// `create role|clusterrole|rolebinding|clusterrolebinding`, `auth can-i`,
// `auth can-i --list`, `auth whoami`) into the JSON object the rest of the
// server works with. kubectl does not fall back to JSON on a 415,
// so these kinds must decode; anything else is refused by name.
//
// Messages are described as data (field number → JSON name and type), checked
// against Kubernetes' generated.proto files. Empty strings, zero numbers and
// zero timestamps are dropped, as Go's `omitempty` would drop them in JSON.

import { Reader } from 'protobufjs/minimal.js';
import type { Long } from 'protobufjs/minimal.js';
import { badRequest, unsupportedMediaType } from '../api/errors.js';
import { workloadMessages } from './protobuf-workloads.js';

// 'quantityMap' is map<string, resource.Quantity{1 string}> (ResourceQuota, resource lists).
// 'map' is map<string,string>; 'binaryMap' is map<string,bytes>, whose values
// JSON carries as base64 strings (ConfigMap.binaryData, Secret.data).
// 'extraMap' is map<string, ExtraValue{1 repeated string}> (a user's extra facts).
// 'intOrString' is intstr.IntOrString{1 type, 2 intVal, 3 strVal}, a number or a string in JSON.
export type Scalar = 'string' | 'bool' | 'int64' | 'int32' | 'bytes' | 'time' | 'map' | 'binaryMap' | 'quantityMap' | 'extraMap' | 'intOrString';

export interface FieldSpec {
  name: string;
  type: Scalar | MessageSpec;
  repeated?: boolean;
  /** A plain Go bool with omitempty: false is left out. Pointer bools keep false. */
  omitFalse?: boolean;
  /** A Go pointer number: zero is kept when sent. */
  keepZero?: boolean;
  /** An embedded Go struct whose fields JSON inlines into the parent (Probe's ProbeHandler). */
  inline?: boolean;
}

export interface MessageSpec {
  readonly [field: number]: FieldSpec;
  /** Names the message in errors; a strict message refuses fields it does not list rather than dropping them. */
  readonly strict?: string;
}

const str = (name: string): FieldSpec => ({ name, type: 'string' });
const strs = (name: string): FieldSpec => ({ name, type: 'string', repeated: true });
const msg = (name: string, type: MessageSpec, repeated = false): FieldSpec => ({ name, type, repeated });

// k8s.io/apimachinery/pkg/apis/meta/v1
const ownerReference: MessageSpec = {
  1: str('kind'),
  3: str('name'),
  4: str('uid'),
  5: str('apiVersion'),
  6: { name: 'controller', type: 'bool' },
  7: { name: 'blockOwnerDeletion', type: 'bool' },
};

export const objectMeta: MessageSpec = {
  1: str('name'),
  2: str('generateName'),
  3: str('namespace'),
  4: str('selfLink'),
  5: str('uid'),
  6: str('resourceVersion'),
  7: { name: 'generation', type: 'int64' },
  8: { name: 'creationTimestamp', type: 'time' },
  9: { name: 'deletionTimestamp', type: 'time' },
  10: { name: 'deletionGracePeriodSeconds', type: 'int64', keepZero: true },
  11: { name: 'labels', type: 'map' },
  12: { name: 'annotations', type: 'map' },
  13: msg('ownerReferences', ownerReference, true),
  14: strs('finalizers'),
  // 17 managedFields is skipped: the server owns it.
};

export const selectorRequirement: MessageSpec = { 1: str('key'), 2: str('operator'), 3: strs('values') };

// k8s.io/api/core/v1
export const objectReference: MessageSpec = {
  1: str('kind'),
  2: str('namespace'),
  3: str('name'),
  4: str('uid'),
  5: str('apiVersion'),
  6: str('resourceVersion'),
  7: str('fieldPath'),
};

const namespace: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: msg('spec', { 1: strs('finalizers') }),
  3: msg('status', {
    1: str('phase'),
    2: msg(
      'conditions',
      { 1: str('type'), 2: str('status'), 4: { name: 'lastTransitionTime', type: 'time' }, 5: str('reason'), 6: str('message') },
      true,
    ),
  }),
};

// Both `immutable` fields are Go *bool, so an explicit false survives.
const configMap: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: { name: 'data', type: 'map' },
  3: { name: 'binaryData', type: 'binaryMap' },
  4: { name: 'immutable', type: 'bool' },
};

const secret: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: { name: 'data', type: 'binaryMap' },
  3: str('type'),
  4: { name: 'stringData', type: 'map' },
  5: { name: 'immutable', type: 'bool' },
};

const serviceAccount: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: msg('secrets', objectReference, true),
  3: msg('imagePullSecrets', { 1: str('name') }, true),
  4: { name: 'automountServiceAccountToken', type: 'bool' },
};

// k8s.io/api/authentication/v1
const tokenRequest: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: msg('spec', {
    1: strs('audiences'),
    // Go *int64: an explicit 0 reaches validation instead of reading as "unset".
    4: { name: 'expirationSeconds', type: 'int64', keepZero: true },
    3: msg('boundObjectRef', { 1: str('kind'), 2: str('apiVersion'), 3: str('name'), 4: str('uid') }),
  }),
  3: msg('status', { 1: str('token'), 2: { name: 'expirationTimestamp', type: 'time' } }),
};

// k8s.io/api/authorization/v1
const resourceAttributes: MessageSpec = {
  1: str('namespace'),
  2: str('verb'),
  3: str('group'),
  4: str('version'),
  5: str('resource'),
  6: str('subresource'),
  7: str('name'),
  8: msg('fieldSelector', { 1: str('rawSelector'), 2: msg('requirements', selectorRequirement, true) }),
  9: msg('labelSelector', { 1: str('rawSelector'), 2: msg('requirements', selectorRequirement, true) }),
};

const selfSubjectAccessReview: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: msg('spec', { 1: msg('resourceAttributes', resourceAttributes), 2: msg('nonResourceAttributes', { 1: str('path'), 2: str('verb') }) }),
  3: msg('status', {
    1: { name: 'allowed', type: 'bool' },
    2: str('reason'),
    3: str('evaluationError'),
    4: { name: 'denied', type: 'bool', omitFalse: true },
  }),
};

const accessStatus: MessageSpec = {
  1: { name: 'allowed', type: 'bool' },
  2: str('reason'),
  3: str('evaluationError'),
  4: { name: 'denied', type: 'bool', omitFalse: true },
};

// SubjectAccessReview and LocalSubjectAccessReview share their spec.
const subjectAccessReview: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: msg('spec', {
    1: msg('resourceAttributes', resourceAttributes),
    2: msg('nonResourceAttributes', { 1: str('path'), 2: str('verb') }),
    3: str('user'),
    4: strs('groups'),
    5: { name: 'extra', type: 'extraMap' },
    6: str('uid'),
  }),
  3: msg('status', accessStatus),
};

// k8s.io/api/authentication/v1
const selfSubjectReview: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: msg('status', { 1: msg('userInfo', { 1: str('username'), 2: str('uid'), 3: strs('groups'), 4: { name: 'extra', type: 'extraMap' } }) }),
};

// k8s.io/api/rbac/v1
const policyRule: MessageSpec = { 1: strs('verbs'), 2: strs('apiGroups'), 3: strs('resources'), 4: strs('resourceNames'), 5: strs('nonResourceURLs') };
const labelSelector: MessageSpec = { 1: { name: 'matchLabels', type: 'map' }, 2: msg('matchExpressions', selectorRequirement, true) };
const role: MessageSpec = { 1: msg('metadata', objectMeta), 2: msg('rules', policyRule, true) };
const clusterRole: MessageSpec = { ...role, 3: msg('aggregationRule', { 1: msg('clusterRoleSelectors', labelSelector, true) }) };
const roleBinding: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: msg('subjects', { 1: str('kind'), 2: str('apiGroup'), 3: str('name'), 4: str('namespace') }, true),
  3: msg('roleRef', { 1: str('apiGroup'), 2: str('kind'), 3: str('name') }),
};

const selfSubjectRulesReview: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: msg('spec', { 1: str('namespace') }),
  3: msg('status', {
    1: msg('resourceRules', { 1: strs('verbs'), 2: strs('apiGroups'), 3: strs('resources'), 4: strs('resourceNames') }, true),
    2: msg('nonResourceRules', { 1: strs('verbs'), 2: strs('nonResourceURLs') }, true),
    3: { name: 'incomplete', type: 'bool' },
    4: str('evaluationError'),
  }),
};

// ResourceQuota: spec {1 hard, 2 scopes, 3 scopeSelector {1 matchExpressions {1 scopeName, 2 operator, 3 values}}}.
const resourceQuota: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: msg('spec', {
    1: { name: 'hard', type: 'quantityMap' },
    2: strs('scopes'),
    3: msg('scopeSelector', { 1: msg('matchExpressions', { 1: str('scopeName'), 2: str('operator'), 3: strs('values') }, true) }),
  }),
};

// k8s.io/api/certificates/v1 (`kubectl certificate approve|deny` PUTs the whole object to /approval).
// spec.extra (6, map of ExtraValue) is left out: the server sets it from the requester.
const certificateSigningRequest: MessageSpec = {
  1: msg('metadata', objectMeta),
  2: msg('spec', {
    1: { name: 'request', type: 'bytes' },
    2: str('username'),
    3: str('uid'),
    4: strs('groups'),
    5: strs('usages'),
    7: str('signerName'),
    8: { name: 'expirationSeconds', type: 'int32' },
  }),
  3: msg('status', {
    1: msg('conditions', { 1: str('type'), 2: str('reason'), 3: str('message'), 4: { name: 'lastUpdateTime', type: 'time' }, 5: { name: 'lastTransitionTime', type: 'time' }, 6: str('status') }, true),
    2: { name: 'certificate', type: 'bytes' },
  }),
};

/** Kinds this server accepts as protobuf, keyed by `apiVersion/kind`. */
const kinds: Record<string, MessageSpec> = {
  'v1/Namespace': namespace,
  'v1/ServiceAccount': serviceAccount,
  'v1/ConfigMap': configMap,
  'v1/Secret': secret,
  'v1/ResourceQuota': resourceQuota,
  'authentication.k8s.io/v1/TokenRequest': tokenRequest,
  'certificates.k8s.io/v1/CertificateSigningRequest': certificateSigningRequest,
  'authorization.k8s.io/v1/SelfSubjectAccessReview': selfSubjectAccessReview,
  'authorization.k8s.io/v1/SelfSubjectRulesReview': selfSubjectRulesReview,
  'authorization.k8s.io/v1/SubjectAccessReview': subjectAccessReview,
  'authorization.k8s.io/v1/LocalSubjectAccessReview': subjectAccessReview,
  'authentication.k8s.io/v1/SelfSubjectReview': selfSubjectReview,
  'rbac.authorization.k8s.io/v1/Role': role,
  'rbac.authorization.k8s.io/v1/ClusterRole': clusterRole,
  'rbac.authorization.k8s.io/v1/RoleBinding': roleBinding,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': roleBinding,
  ...workloadMessages({ objectMeta, objectReference, selectorRequirement }),
};

// runtime.Unknown, the envelope every protobuf object travels in.
const unknownEnvelope: MessageSpec = {
  1: msg('typeMeta', { 1: str('apiVersion'), 2: str('kind') }),
  2: { name: 'raw', type: 'bytes' },
  3: str('contentEncoding'),
  4: str('contentType'),
};

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

const wireType = (t: FieldSpec['type']) => (t === 'bool' || t === 'int64' || t === 'int32' ? WIRE_VARINT : WIRE_LEN);

// int64 comes back as a Long (two 32-bit halves) unless protobufjs runs without long support.
const toNumber = (v: number | Long) => (typeof v === 'number' ? v : v.high * 4294967296 + (v.low >>> 0));

// metav1.Time marshals to JSON as RFC 3339 with whole seconds in UTC.
function decodeTime(r: Reader, end: number): string | undefined {
  let seconds = 0;
  let nanos = 0;
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === (1 << 3)) seconds = toNumber(r.int64());
    else if (tag === (2 << 3)) nanos = r.int32();
    else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  if (seconds === 0 && nanos === 0) return undefined;
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function decodeMapEntry(r: Reader, end: number, kind: 'map' | 'binaryMap' | 'quantityMap' | 'extraMap'): [string, string | string[]] {
  let key = '';
  let value: string | string[] = kind === 'extraMap' ? [] : '';
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag === ((1 << 3) | WIRE_LEN)) key = r.string();
    else if (tag === ((2 << 3) | WIRE_LEN)) {
      if (kind === 'binaryMap') value = Buffer.from(r.bytes()).toString('base64');
      else if (kind === 'quantityMap') value = String((decodeMessage(r, r.uint32() + r.pos, { 1: str('string') }).string as string | undefined) ?? '');
      else if (kind === 'extraMap') value = (decodeMessage(r, r.uint32() + r.pos, { 1: strs('items') }).items as string[] | undefined) ?? [];
      else value = r.string();
    } else r.skipType(tag & 7);
  }
  expectEnd(r, end);
  return [key, value];
}

function readValue(r: Reader, f: FieldSpec): unknown {
  switch (f.type) {
    case 'string':
      return r.string();
    case 'bool':
      return r.bool();
    case 'int64':
      return toNumber(r.int64());
    case 'int32':
      return r.int32();
    case 'bytes':
      return r.bytes();
    default: {
      const end = r.uint32() + r.pos;
      if (end > r.len) throw new RangeError(`index out of range: ${end} > ${r.len}`);
      if (f.type === 'time') return decodeTime(r, end);
      if (f.type === 'map' || f.type === 'binaryMap' || f.type === 'quantityMap' || f.type === 'extraMap') return decodeMapEntry(r, end, f.type);
      if (f.type === 'intOrString') return decodeIntOrString(r, end);
      return decodeMessage(r, end, f.type);
    }
  }
}

const isEmpty = (f: FieldSpec, v: unknown) =>
  v === undefined || v === '' || (v === 0 && !f.keepZero) || (v === false && f.omitFalse === true);

// A corrupt length prefix can make a nested read run past its parent message.
function expectEnd(r: Reader, end: number): void {
  if (r.pos !== end) throw new RangeError(`message overruns its length (at ${r.pos}, expected ${end})`);
}

function decodeIntOrString(r: Reader, end: number): number | string {
  const m = decodeMessage(r, end, { 1: { name: 'type', type: 'int64' }, 2: { name: 'intVal', type: 'int32', keepZero: true }, 3: str('strVal') });
  return m.type === 1 ? String(m.strVal ?? '') : Number(m.intVal ?? 0);
}

/** Thrown for a field a strict message does not know: refusing beats silently dropping it. */
class UnsupportedField extends Error {}

function decodeMessage(r: Reader, end: number, spec: MessageSpec): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const f = spec[tag >>> 3];
    if (!f || (tag & 7) !== wireType(f.type)) {
      if (spec.strict) throw new UnsupportedField(`field ${tag >>> 3} of ${spec.strict}`);
      r.skipType(tag & 7);
      continue;
    }
    const v = readValue(r, f);
    if (f.inline) {
      Object.assign(out, v as Record<string, unknown>);
    } else if (f.type === 'map' || f.type === 'binaryMap' || f.type === 'quantityMap' || f.type === 'extraMap') {
      const [k, val] = v as [string, string | string[]];
      // Defined, not assigned: a `__proto__` key stays an own key, which the body check then refuses.
      Object.defineProperty((out[f.name] ??= {}) as Record<string, string | string[]>, k, { value: val, enumerable: true, writable: true, configurable: true });
    } else if (f.repeated) {
      ((out[f.name] ??= []) as unknown[]).push(v);
    } else if (isEmpty(f, v)) {
      delete out[f.name];
    } else {
      out[f.name] = v;
    }
  }
  expectEnd(r, end);
  return out;
}

const MAGIC = [0x6b, 0x38, 0x73, 0x00]; // "k8s\0"

/**
 * Decodes a Kubernetes protobuf body into the equivalent JSON object, with
 * `apiVersion` and `kind` from the envelope. Throws 400 for a body that is not
 * a Kubernetes protobuf message, 415 for a kind this server does not decode.
 */
export function decodeKubeProtobuf(buf: Uint8Array): Record<string, unknown> {
  if (buf.length < MAGIC.length || MAGIC.some((b, i) => buf[i] !== b)) {
    throw badRequest(`provided data does not appear to be a protobuf message, expected prefix [${MAGIC.join(' ')}]`);
  }
  const body = buf.subarray(MAGIC.length);
  let envelope: Record<string, unknown>;
  try {
    envelope = decodeMessage(new Reader(body), body.length, unknownEnvelope);
  } catch (e) {
    throw badRequest(`unable to decode protobuf envelope: ${(e as Error).message}`);
  }
  const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const apiVersion = typeMeta.apiVersion ?? '';
  const kind = typeMeta.kind ?? '';
  if (envelope.contentEncoding) {
    throw unsupportedMediaType(`protobuf content encoding ${JSON.stringify(envelope.contentEncoding)} is not supported`);
  }
  const spec = Object.hasOwn(kinds, `${apiVersion}/${kind}`) ? kinds[`${apiVersion}/${kind}`] : undefined;
  if (!spec) {
    throw unsupportedMediaType(
      `${kind || '<missing kind>'} in version ${JSON.stringify(apiVersion)} cannot be decoded from application/vnd.kubernetes.protobuf by this server; send application/json`,
    );
  }
  const raw = (envelope.raw ?? new Uint8Array()) as Uint8Array;
  try {
    return { apiVersion, kind, ...decodeMessage(new Reader(raw), raw.length, spec) };
  } catch (e) {
    if (e instanceof UnsupportedField) {
      throw unsupportedMediaType(`${kind} in version ${JSON.stringify(apiVersion)}: ${e.message} cannot be decoded from application/vnd.kubernetes.protobuf by this server; send application/json`);
    }
    throw badRequest(`unable to decode ${kind} from protobuf: ${(e as Error).message}`);
  }
}
