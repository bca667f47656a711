// NodeRestriction admission, as kube's: a node may modify only its own Node
// (without touching its taints or restricted labels), only its own Lease in
// kube-node-lease, only the status of pods bound to it and delete only those
// pods, and may request node certificates only for its own name. The Node
// authorizer lets these verbs through; this plugin sees the objects and
// narrows them.

import { x509 } from '../security/x509.js';
import { forbidden } from '../api/errors.js';
import { deepEqual, type KObject } from '../api/object.js';
import type { AdmissionAttributes, AdmissionPlugin } from '../registry/admission.js';
import { nodeIdentity } from '../authz/node-identity.js';
import { NODE_LEASE_NAMESPACE } from '../authz/node-authorizer.js';
import { SIGNER_KUBELET_CLIENT, SIGNER_KUBELET_SERVING, requestPem, specOf } from '../api/certificates/index.js';

const NODE_RESTRICTION_PREFIX = 'node-restriction.kubernetes.io';
// Labels a kubelet may set on its own Node (kube's kubelet label set).
const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname', 'kubernetes.io/arch', 'kubernetes.io/os', 'beta.kubernetes.io/arch', 'beta.kubernetes.io/os',
  'beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type', 'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region', 'node.kubernetes.io/windows-build',
]);
const KUBELET_LABEL_DOMAINS = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const labelDomain = (key: string) => (key.includes('/') ? key.slice(0, key.indexOf('/')) : '');
const within = (domain: string, base: string) => domain === base || domain.endsWith(`.${base}`);

/** Labels a node may not add, change or remove on itself. */
export function forbiddenNodeLabels(now: Record<string, string> | undefined, before: Record<string, string> | undefined): string[] {
  const a = now ?? {};
  const b = before ?? {};
  const changed = new Set([...Object.keys(a).filter((k) => a[k] !== b[k]), ...Object.keys(b).filter((k) => a[k] !== b[k])]);
  const out: string[] = [];
  for (const key of changed) {
    const domain = labelDomain(key);
    if (within(domain, NODE_RESTRICTION_PREFIX)) out.push(key);
    else if ((within(domain, 'kubernetes.io') || within(domain, 'k8s.io')) && !KUBELET_LABELS.has(key) && !KUBELET_LABEL_DOMAINS.some((d) => within(domain, d))) out.push(key);
  }
  return out.sort();
}

const nodeNameOf = (pod: KObject | undefined) => (pod?.spec as { nodeName?: string } | undefined)?.nodeName ?? '';

function refuse(a: AdmissionAttributes, why: string): never {
  const resource = a.def.group ? `${a.def.plural}.${a.def.group}` : a.def.plural;
  throw forbidden(`${resource} "${a.name}" is forbidden: ${why}`, { name: a.name, group: a.def.group, kind: a.def.plural });
}

function admitNode(node: string, a: AdmissionAttributes): void {
  if (a.name !== node) refuse(a, `node "${node}" is not allowed to modify node "${a.name}"`);
  if (a.operation === 'CREATE') {
    const bad = forbiddenNodeLabels(a.obj?.metadata.labels, undefined);
    if (bad.length) refuse(a, `node "${node}" is not allowed to set the following labels: ${bad.join(', ')}`);
  } else if (a.operation === 'UPDATE') {
    const taints = (o: KObject | undefined) => (o?.spec as { taints?: unknown } | undefined)?.taints ?? [];
    if (!deepEqual(taints(a.obj), taints(a.old))) refuse(a, `node "${node}" is not allowed to modify taints`);
    const bad = forbiddenNodeLabels(a.obj?.metadata.labels, a.old?.metadata.labels);
    if (bad.length) refuse(a, `is not allowed to modify labels: ${bad.join(', ')}`);
  }
}

function admitPod(node: string, a: AdmissionAttributes): void {
  const sub = a.ctx.subresource ?? '';
  if (sub === 'status') {
    if (a.operation !== 'UPDATE') refuse(a, `unexpected operation "${a.operation}"`);
    if (nodeNameOf(a.old) !== node) refuse(a, `node "${node}" can only update pod status for pods with spec.nodeName set to itself`);
    if (!deepEqual(a.old?.metadata.labels ?? {}, a.obj?.metadata.labels ?? {})) refuse(a, `node "${node}" cannot update labels through pod status`);
    return;
  }
  if (sub !== '') refuse(a, `unexpected pod subresource "${sub}", only 'status' and 'eviction' are allowed`);
  if (a.operation === 'DELETE') {
    if (nodeNameOf(a.old) !== node) refuse(a, `node "${node}" can only delete pods with spec.nodeName set to itself`);
    return;
  }
  if (a.operation === 'CREATE') refuse(a, `pod does not have "kubernetes.io/config.mirror" annotation, node "${node}" can only create mirror pods`);
  refuse(a, `unexpected operation "${a.operation}", node "${node}" can only create and delete mirror pods`);
}

function admitLease(node: string, a: AdmissionAttributes): void {
  if (a.namespace !== NODE_LEASE_NAMESPACE) refuse(a, `can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
  if (a.name !== node) refuse(a, 'can only access node lease with the same name as the requesting node');
}

function admitCsr(node: string, a: AdmissionAttributes): void {
  if (a.operation !== 'CREATE' || !a.obj) return;
  const spec = specOf(a.obj);
  if (spec.signerName !== SIGNER_KUBELET_CLIENT && spec.signerName !== SIGNER_KUBELET_SERVING) return;
  let cn: string | undefined;
  try {
    cn = new x509.Pkcs10CertificateRequest(requestPem(spec) ?? '').subjectName.getField('CN')[0];
  } catch (e) {
    refuse(a, `unable to parse csr: ${(e as Error).message}`);
  }
  if (cn !== `system:node:${node}`) refuse(a, `can only create a node CSR with CN=system:node:${node}`);
}

export function nodeRestriction(): AdmissionPlugin {
  const kinds = new Set(['/Node', '/Pod', 'coordination.k8s.io/Lease', 'certificates.k8s.io/CertificateSigningRequest']);
  return {
    name: 'NodeRestriction',
    handles: (def) => kinds.has(`${def.group}/${def.kind}`),
    validate(a) {
      const { isNode, name: node } = nodeIdentity(a.ctx.user);
      if (!isNode) return;
      if (!node) refuse(a, `could not determine node from user "${a.ctx.user.username}"`);
      switch (a.def.kind) {
        case 'Node':
          return admitNode(node, a);
        case 'Pod':
          return admitPod(node, a);
        case 'Lease':
          return admitLease(node, a);
        default:
          return admitCsr(node, a);
      }
    },
  };
}
