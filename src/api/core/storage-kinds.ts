// PersistentVolumeClaim, PersistentVolume and ReplicationController (core/v1):
// served and validated so manifests and `kubectl apply --prune` (whose default
// allowlist names them) work. No controller binds claims or runs replication
// controllers yet.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { int32, openObject, opt, str, stringList, stringMap } from '../schemas/builders.js';
import { PodTemplateSpecSchema } from '../schemas/pod-spec.js';
import { LabelSelectorSchema } from '../schemas/references.js';
import { ResourceRequirementsSchema, resourceList } from '../schemas/resources.js';
import { isNonNegative } from '../validation/field.js';
import { validateImmutableField } from '../validation/object-meta.js';
import { validateSelectorAndTemplate } from '../apps/pod-template-validation.js';
import { defaultReplicas, defaultTemplate } from '../apps/replicated-defaults.js';
import { specCount, statusCount, wideTemplateColumns } from '../apps/template-columns.js';
import { ageColumn, nameColumn, section } from './columns.js';

type Obj = Record<string, unknown>;
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

function validateAccessModes(spec: Obj, path: string): FieldError[] {
  const modes = spec.accessModes;
  if (!Array.isArray(modes) || modes.length === 0) return [fieldError.required(`${path}.accessModes`)];
  return modes.filter((m) => !ACCESS_MODES.includes(String(m))).map((m) => fieldError.notSupported(`${path}.accessModes`, m, ACCESS_MODES));
}

function validateClaim(pvc: KObject): FieldError[] {
  const spec = section(pvc, 'spec');
  const errs = validateAccessModes(spec, 'spec');
  const requests = isPlainObject(spec.resources) && isPlainObject(spec.resources.requests) ? spec.resources.requests : {};
  if (requests.storage === undefined) errs.push(fieldError.required('spec.resources[storage]'));
  return errs;
}

const accessModesCell = (o: KObject) => {
  const modes = section(o, 'spec').accessModes;
  const short: Record<string, string> = { ReadWriteOnce: 'RWO', ReadOnlyMany: 'ROX', ReadWriteMany: 'RWX', ReadWriteOncePod: 'RWOP' };
  return Array.isArray(modes) ? modes.map((m) => short[String(m)] ?? String(m)).join(',') : '';
};

export const persistentVolumeClaimDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  namespaced: true,
  strategicMerge: true,
  returnDeletedObject: true,
  description: "A user's request for storage. Stored and validated; no controller binds claims yet.",
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            accessModes: opt(stringList('Access modes the volume must support (`ReadWriteOnce`...).')),
            selector: opt(LabelSelectorSchema),
            resources: opt(ResourceRequirementsSchema),
            volumeName: opt(str('The PersistentVolume bound to this claim.')),
            storageClassName: opt(str('StorageClass the claim asks for.')),
            volumeMode: opt(str('`Filesystem` (default) or `Block`.')),
            dataSource: opt(openObject('An object to populate the volume from.')),
            dataSourceRef: opt(openObject('An object to populate the volume from (any API group).')),
            volumeAttributesClassName: opt(str('VolumeAttributesClass of the claim.')),
          },
          { description: 'Desired characteristics of the volume.' },
        ),
      ),
      status: opt(openObject('Observed state of the claim (`phase`, `capacity`).')),
    },
    { description: 'A PersistentVolumeClaim.' },
  ),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'Status', type: 'string', description: 'Phase of the claim.', value: (o) => String(section(o, 'status').phase ?? 'Pending') },
    { name: 'Volume', type: 'string', description: 'Bound volume.', value: (o) => String(section(o, 'spec').volumeName ?? '') },
    { name: 'Capacity', type: 'string', description: 'Capacity of the bound volume.', value: (o) => String((section(o, 'status').capacity as Obj | undefined)?.storage ?? '') },
    { name: 'Access Modes', type: 'string', description: 'Access modes of the claim.', value: accessModesCell },
    { name: 'StorageClass', type: 'string', description: 'Storage class of the claim.', value: (o) => String(section(o, 'spec').storageClassName ?? '<unset>') },
    ageColumn,
  ],
  strategy: {
    prepareForCreate: (o) => {
      if (!isPlainObject(o.spec)) o.spec = {};
      const spec = o.spec as Obj;
      if (spec.volumeMode === undefined) spec.volumeMode = 'Filesystem';
      o.status = { phase: 'Pending' };
    },
    validate: validateClaim,
    validateUpdate: (o, old, ctx) => (ctx.subresource === 'status' ? [] : [...validateClaim(o), ...validateImmutableField(section(o, 'spec').accessModes, section(old, 'spec').accessModes, 'spec.accessModes')]),
  },
});

export const persistentVolumeDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  shortNames: ['pv'],
  namespaced: false,
  strategicMerge: true,
  returnDeletedObject: true,
  description: 'A piece of storage in the cluster. Stored and validated; no controller binds volumes yet.',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            capacity: opt(resourceList('Capacity of the volume (`storage`).')),
            accessModes: opt(stringList('Ways the volume can be mounted.')),
            persistentVolumeReclaimPolicy: opt(str('`Retain` (default for manual volumes), `Delete` or `Recycle`.')),
            storageClassName: opt(str('StorageClass of the volume.')),
            volumeMode: opt(str('`Filesystem` (default) or `Block`.')),
            claimRef: opt(openObject('The claim bound to this volume.')),
            mountOptions: opt(stringList('Mount options.')),
            nodeAffinity: opt(openObject('Nodes the volume can be used from.')),
            hostPath: opt(openObject('A directory on the host.')),
            local: opt(openObject('A local disk.')),
            nfs: opt(openObject('An NFS export.')),
            csi: opt(openObject('A CSI volume.')),
            volumeAttributesClassName: opt(str('VolumeAttributesClass of the volume.')),
          },
          { description: 'The volume: its capacity, access modes and source.', 'x-kubernetes-preserve-unknown-fields': true },
        ),
      ),
      status: opt(openObject('Observed state of the volume (`phase`).')),
    },
    { description: 'A PersistentVolume.' },
  ),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'Capacity', type: 'string', description: 'Capacity of the volume.', value: (o) => String((section(o, 'spec').capacity as Obj | undefined)?.storage ?? '') },
    { name: 'Access Modes', type: 'string', description: 'Access modes.', value: accessModesCell },
    { name: 'Reclaim Policy', type: 'string', description: 'What happens when the claim goes.', value: (o) => String(section(o, 'spec').persistentVolumeReclaimPolicy ?? '') },
    { name: 'Status', type: 'string', description: 'Phase of the volume.', value: (o) => String(section(o, 'status').phase ?? '') },
    ageColumn,
  ],
  strategy: {
    prepareForCreate: (o) => {
      if (!isPlainObject(o.spec)) o.spec = {};
      const spec = o.spec as Obj;
      if (spec.persistentVolumeReclaimPolicy === undefined) spec.persistentVolumeReclaimPolicy = 'Retain';
      if (spec.volumeMode === undefined) spec.volumeMode = 'Filesystem';
      o.status = { phase: 'Available' };
    },
    validate: (o) => {
      const spec = section(o, 'spec');
      const errs = validateAccessModes(spec, 'spec');
      if (!isPlainObject(spec.capacity) || spec.capacity.storage === undefined) errs.push(fieldError.required('spec.capacity'));
      return errs;
    },
  },
});

const validateRc = (spec: Obj): FieldError[] => [
  ...isNonNegative('spec.replicas', spec.replicas),
  ...validateSelectorAndTemplate(spec, { kind: 'replicationcontroller', restartPolicies: ['Always'], mapSelector: true }),
];

export const replicationControllerDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  singular: 'replicationcontroller',
  shortNames: ['rc'],
  categories: ['all'],
  namespaced: true,
  strategicMerge: true,
  description: 'The predecessor of ReplicaSet. Stored and validated; no controller runs them (use a Deployment).',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            replicas: opt(int32('Desired number of pods. Defaults to 1.')),
            minReadySeconds: opt(int32('Seconds a new pod must be ready before it counts as available.')),
            selector: opt(stringMap('Labels of the pods (map form); defaults to the template labels.', { 'x-kubernetes-map-type': 'atomic' })),
            template: opt({ ...PodTemplateSpecSchema, description: 'The pods created when replicas are missing.' }),
          },
          { description: 'Desired state of a ReplicationController.' },
        ),
      ),
      status: opt(openObject('Observed state of the replication controller.')),
    },
    { description: 'A ReplicationController.' },
  ),
  subresources: { status: true, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
  columns: [
    nameColumn,
    { name: 'Desired', type: 'integer', description: 'Desired pods.', value: (o) => specCount(o, 'replicas', 1) },
    { name: 'Current', type: 'integer', description: 'Existing pods.', value: (o) => statusCount(o, 'replicas') },
    { name: 'Ready', type: 'integer', description: 'Ready pods.', value: (o) => statusCount(o, 'readyReplicas') },
    ageColumn,
    ...wideTemplateColumns(),
  ],
  strategy: {
    prepareForCreate: (o) => {
      if (!isPlainObject(o.spec)) o.spec = {};
      const spec = o.spec as Obj;
      defaultReplicas(spec);
      const labels = isPlainObject(spec.template) && isPlainObject(spec.template.metadata) ? spec.template.metadata.labels : undefined;
      if (!isPlainObject(spec.selector) && isPlainObject(labels)) spec.selector = { ...labels };
      defaultTemplate(spec);
      delete o.status;
    },
    validate: (o) => validateRc(section(o, 'spec')),
    prepareForUpdate: (o) => {
      if (!isPlainObject(o.spec)) o.spec = {};
      defaultTemplate(o.spec as Obj);
    },
    validateUpdate: (o, _old, ctx) => (ctx.subresource === 'status' ? [] : validateRc(section(o, 'spec'))),
  },
});
