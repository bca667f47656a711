// Mesh (kuma.io/v1alpha1, cluster-scoped): a named mesh that dataplanes,
// workloads and identities join through their `kuma.io/mesh` label. Workplane
// reads little of its spec, so the sections Kuma defines are kept as sent.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { ageColumn, nameColumn } from '../core/columns.js';
import { openObject, opt } from '../schemas/index.js';

const section = (description: string) => opt(openObject(description));

export const MeshSpecSchema = Type.Object(
  {
    mtls: section('Mutual TLS settings (Kuma mesh mTLS backends); kept as sent.'),
    networking: section('Networking settings such as outbound passthrough; kept as sent.'),
    meshServices: section('MeshService generation mode; kept as sent.'),
    routing: section('Routing settings such as locality-aware load balancing; kept as sent.'),
    constraints: section('Constraints on dataplanes joining the mesh; kept as sent.'),
    tracing: section('Tracing backends; kept as sent.'),
    logging: section('Logging backends; kept as sent.'),
    metrics: section('Metrics backends; kept as sent.'),
  },
  { description: 'Desired configuration of the mesh; other Kuma mesh fields are kept as sent.', 'x-kubernetes-preserve-unknown-fields': true },
);

export const meshDefinition: ResourceDefinition = defineResource({
  group: 'kuma.io',
  version: 'v1alpha1',
  kind: 'Mesh',
  plural: 'meshes',
  singular: 'mesh',
  shortNames: ['mesh'],
  categories: ['kuma'],
  namespaced: false,
  description: 'Mesh is a service mesh that data plane proxies join through their kuma.io/mesh label; `default` exists from the start.',
  schema: Type.Object({ spec: opt(MeshSpecSchema) }, { description: 'A mesh.' }),
  columns: [nameColumn, ageColumn],
});
