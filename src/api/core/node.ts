// Node (core/v1, cluster-scoped): a machine pods run on, registered and kept
// up to date by its node agent. Status comes through /status; the spec holds
// scheduling controls (unschedulable, taints).

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { bool, conditionsList, int32, listOf, openObject, opt, resourceList, str, time } from '../schemas/index.js';
import { child, index, invalidEach } from '../validation/field.js';
import { isQualifiedName, isValidLabelValue } from '../validation/names.js';
import { TAINT_EFFECT_VALUES } from '../validation/pod-spec.js';
import { ageColumn, nameColumn, section } from './columns.js';

type Obj = Record<string, unknown>;
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const str2 = (v: unknown) => (typeof v === 'string' ? v : '');

export const TaintSchema = Type.Object(
  {
    key: opt(str('Taint key.')),
    value: opt(str('Taint value.')),
    effect: opt(str('What happens to pods that do not tolerate the taint: `NoSchedule`, `PreferNoSchedule` or `NoExecute`.')),
    timeAdded: opt(time('When a NoExecute taint was added.')),
  },
  { description: 'Repels pods that do not tolerate it.' },
);

const NodeSpecSchema = Type.Object(
  {
    podCIDR: opt(str('Pod IP range assigned to the node.')),
    podCIDRs: opt(listOf('Pod IP ranges assigned to the node, one per IP family.', Type.String(), { listType: 'set', patchStrategy: 'merge' })),
    providerID: opt(str('ID of the node at its infrastructure provider.')),
    unschedulable: opt(bool('True keeps new pods off the node (`kubectl cordon`).')),
    taints: opt(listOf('Taints of the node.', TaintSchema, { listType: 'atomic' })),
    configSource: opt(openObject('Deprecated dynamic kubelet configuration source.')),
  },
  { description: 'Desired scheduling state of the node.' },
);

const AddressSchema = Type.Object(
  {
    type: str('`InternalIP`, `ExternalIP`, `Hostname`, `InternalDNS` or `ExternalDNS`.'),
    address: str('The address.'),
  },
  { description: 'An address of the node.' },
);

const NodeInfoSchema = Type.Object(
  {
    machineID: opt(str('Machine ID of the node.')),
    systemUUID: opt(str('System UUID of the node.')),
    bootID: opt(str('Boot ID; changes on reboot.')),
    kernelVersion: opt(str('Kernel version (`uname -r`).')),
    osImage: opt(str('Operating system image (e.g. `Debian GNU/Linux 12`).')),
    containerRuntimeVersion: opt(str('Container runtime and version (e.g. `containerd://1.7.0`).')),
    kubeletVersion: opt(str('Version of the node agent.')),
    kubeProxyVersion: opt(str('Deprecated: version of kube-proxy.')),
    operatingSystem: opt(str('Operating system (`linux`).')),
    architecture: opt(str('CPU architecture (`amd64`, `arm64`).')),
  },
  { description: 'Facts about the node software.' },
);

const NodeStatusSchema = Type.Object(
  {
    capacity: opt(resourceList('Total resources of the node (cpu, memory, pods...).')),
    allocatable: opt(resourceList('Resources available to pods; the scheduler fits requests against these.')),
    phase: opt(str('Deprecated node phase.')),
    conditions: opt(conditionsList('Node conditions (`Ready`, `MemoryPressure`, `DiskPressure`...).')),
    addresses: opt(listOf('Addresses of the node.', AddressSchema, { mapKeys: ['type'], patchStrategy: 'merge' })),
    daemonEndpoints: opt(
      Type.Object(
        {
          kubeletEndpoint: opt(
            Type.Object({ Port: int32('Port the node agent listens on.') }, { description: 'Endpoint of the node agent.' }),
          ),
        },
        { description: 'Endpoints of daemons on the node.' },
      ),
    ),
    nodeInfo: opt(NodeInfoSchema),
    images: opt(listOf('Images present on the node.', openObject('An image (`names`, `sizeBytes`).'), { listType: 'atomic' })),
    volumesInUse: opt(listOf('Volumes attached and mounted.', Type.String(), { listType: 'atomic' })),
    volumesAttached: opt(listOf('Volumes attached to the node.', openObject('An attached volume.'), { listType: 'atomic' })),
    config: opt(openObject('Status of the node configuration.')),
    runtimeHandlers: opt(listOf('Runtime handlers available.', openObject('A runtime handler.'), { listType: 'atomic' })),
    features: opt(openObject('Features the node supports.')),
  },
  { description: 'Observed state of the node.' },
);

/** STATUS cell: `Ready`, `NotReady` or `Unknown`, plus `,SchedulingDisabled` when cordoned. */
export function nodeStatusCell(node: KObject): string {
  const parts: string[] = [];
  const ready = arr(section(node, 'status').conditions).filter((c) => c.type === 'Ready').pop();
  if (ready) parts.push(ready.status === 'True' ? 'Ready' : 'NotReady');
  else parts.push('Unknown');
  if (section(node, 'spec').unschedulable === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` and `kubernetes.io/role` labels, sorted; `<none>` without. */
export function nodeRoles(node: KObject): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

const nodeAddress = (type: string) => (node: KObject) =>
  str2(arr(section(node, 'status').addresses).find((a) => a.type === type)?.address) || '<none>';
const nodeInfo = (f: string) => (node: KObject) => {
  const info = section(node, 'status').nodeInfo;
  return str2(isPlainObject(info) ? info[f] : undefined);
};
const orUnknown = (fn: (n: KObject) => string) => (n: KObject) => fn(n) || '<unknown>';

export function validateTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  arr(taints).forEach((t, i) => {
    const ip = index(path, i);
    const key = str2(t.key);
    const value = str2(t.value);
    const effect = str2(t.effect);
    errs.push(...invalidEach(child(ip, 'key'), key, isQualifiedName(key)));
    const vmsgs = isValidLabelValue(value);
    if (vmsgs.length) errs.push(fieldError.invalid(child(ip, 'value'), value, vmsgs.join(';')));
    if (!effect) errs.push(fieldError.required(child(ip, 'effect')));
    else if (!TAINT_EFFECT_VALUES.includes(effect)) errs.push(fieldError.notSupported(child(ip, 'effect'), effect, TAINT_EFFECT_VALUES));
    const id = `${effect}\u0000${key}`;
    if (seen.has(id)) errs.push({ ...fieldError.duplicate(ip, t), detail: 'taints must be unique by key and effect pair' });
    seen.add(id);
  });
  return errs;
}

const validateNode = (node: KObject) => validateTaints(section(node, 'spec').taints, 'spec.taints');

function validateUpdate(node: KObject, old: KObject, ctx: OperationContext): FieldError[] {
  const errs = validateNode(node);
  if (ctx.subresource === 'status') return errs;
  const was = str2(section(old, 'spec').providerID);
  const now = str2(section(node, 'spec').providerID);
  if (was && was !== now) errs.push(fieldError.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  return errs;
}

export const nodeDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  shortNames: ['no'],
  namespaced: false,
  description: 'A machine pods are scheduled onto, registered by its node agent.',
  schema: Type.Object(
    { spec: Type.Optional(NodeSpecSchema), status: Type.Optional(NodeStatusSchema) },
    { description: 'A node: scheduling controls in spec, capacity and health in status.' },
  ),
  subresources: { status: true },
  strategicMerge: true,
  columns: [
    nameColumn,
    { name: 'Status', type: 'string', description: 'Readiness of the node, and whether it accepts new pods.', value: nodeStatusCell },
    { name: 'Roles', type: 'string', description: 'Roles of the node (from node-role.kubernetes.io labels).', value: (n) => nodeRoles(n).join(',') || '<none>' },
    ageColumn,
    { name: 'Version', type: 'string', description: 'Version of the node agent.', value: nodeInfo('kubeletVersion') },
    { name: 'Internal-IP', type: 'string', priority: 1, description: 'First internal IP of the node.', value: nodeAddress('InternalIP') },
    { name: 'External-IP', type: 'string', priority: 1, description: 'First external IP of the node.', value: nodeAddress('ExternalIP') },
    { name: 'OS-Image', type: 'string', priority: 1, description: 'Operating system image.', value: orUnknown(nodeInfo('osImage')) },
    { name: 'Kernel-Version', type: 'string', priority: 1, description: 'Kernel version.', value: orUnknown(nodeInfo('kernelVersion')) },
    { name: 'Container-Runtime', type: 'string', priority: 1, description: 'Container runtime and version.', value: orUnknown(nodeInfo('containerRuntimeVersion')) },
  ],
  selectableFields: {
    'spec.unschedulable': (n) => String(section(n, 'spec').unschedulable === true),
  },
  strategy: {
    validate: validateNode,
    validateUpdate,
  },
});
