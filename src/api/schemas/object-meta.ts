// Schema of `metadata`, shared by every kind and by embedded templates. The
// generic server validates names, labels and immutability in code; this schema
// gives the types, pruning and the text `kubectl explain` shows.

import { Type } from '@sinclair/typebox';
import { bool, int64, listOf, opt, str, stringList, stringMap, time } from './builders.js';

export const OwnerReferenceSchema = Type.Object(
  {
    apiVersion: str('API version of the owner.'),
    kind: str('Kind of the owner.'),
    name: str('Name of the owner.'),
    uid: str('UID of the owner; a reference to a recreated owner with the same name does not match.'),
    controller: opt(bool('True when the owner is the managing controller; at most one reference may say so.')),
    blockOwnerDeletion: opt(
      bool('True makes foreground deletion of the owner wait until this object is gone.'),
    ),
  },
  {
    description: 'Points at an object this one depends on; when every owner is gone the object is garbage collected.',
    'x-kubernetes-map-type': 'atomic',
  },
);

export const ManagedFieldsEntrySchema = Type.Object(
  {
    manager: opt(str('Name of the workflow (field manager) that wrote these fields.')),
    operation: opt(str('`Apply` or `Update`: the kind of write that recorded this entry.')),
    apiVersion: opt(str('API version the field set is expressed in.')),
    time: opt(time('When this manager last changed one of its fields.')),
    fieldsType: opt(str('Format of fieldsV1; always `FieldsV1`.')),
    fieldsV1: opt(Type.Object({}, { description: 'The set of fields this manager owns.', 'x-kubernetes-preserve-unknown-fields': true })),
    subresource: opt(str('Subresource the write went through (`status`, `scale`), empty for the main resource.')),
  },
  { description: 'Records which field manager owns which fields (server-side apply).' },
);

export const ObjectMetaSchema = Type.Object(
  {
    name: opt(str('Name of the object, unique within its namespace (or the cluster for cluster-scoped kinds). Cannot be updated.')),
    generateName: opt(
      str('Prefix the server completes with a random suffix to build a unique name, used when `name` is empty.'),
    ),
    namespace: opt(str('Namespace the object lives in; empty for cluster-scoped kinds. Cannot be updated.')),
    uid: opt(str('Unique identifier the server assigns at creation. Read-only.')),
    resourceVersion: opt(
      str('Opaque version of this object; writes that carry it fail with a conflict if the object changed since. Read-only.'),
    ),
    generation: opt(int64('Sequence number of spec changes, bumped by the server. Read-only.')),
    creationTimestamp: opt(time('Server time at creation. Read-only.')),
    deletionTimestamp: opt(
      time('Time after which the object goes away; set when deletion was requested and finalizers or a grace period remain. Read-only.'),
    ),
    deletionGracePeriodSeconds: opt(int64('Seconds the object is given to terminate gracefully once deleted. Read-only.')),
    labels: opt(stringMap('Key/value pairs that selectors match (e.g. `app: web`).')),
    annotations: opt(stringMap('Key/value pairs for tools and controllers; not used for selection.')),
    ownerReferences: opt(
      listOf('Objects this object depends on, for garbage collection.', OwnerReferenceSchema, {
        mapKeys: ['uid'],
        patchStrategy: 'merge',
      }),
    ),
    finalizers: opt(
      stringList('Names that must all be removed before the object is deleted from storage.', {
        'x-kubernetes-list-type': 'set',
        'x-kubernetes-patch-strategy': 'merge',
      }),
    ),
    managedFields: opt(
      listOf('Field ownership per manager, maintained by the server for server-side apply.', ManagedFieldsEntrySchema, {
        listType: 'atomic',
      }),
    ),
  },
  { description: 'Standard object metadata: identity, labels, annotations, ownership and lifecycle.' },
);
