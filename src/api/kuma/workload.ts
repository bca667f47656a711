// Workload (kuma.io/v1alpha1): the data plane proxies sharing one
// `kuma.io/workload` value in a namespace. The control plane generates it and
// reports proxy counts in status; its spec is always empty. Who may write it
// is admission's business (manual creation is refused there), not the schema's.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { ageColumn, nameColumn } from '../core/columns.js';
import { isPlainObject, type KObject } from '../object.js';
import { int32, opt } from '../schemas/index.js';
import { meshColumn } from './columns.js';

const count = (description: string) => int32(description, { minimum: 0 });

export const WorkloadStatusSchema = Type.Object(
  {
    dataplaneProxies: opt(
      Type.Object(
        {
          connected: opt(count('Data plane proxies of this workload connected to the control plane.')),
          healthy: opt(count('Data plane proxies with at least one ready inbound.')),
          total: opt(count('All data plane proxies of this workload.')),
        },
        { description: 'Counts of the data plane proxies that reference this workload.' },
      ),
    ),
  },
  { description: 'Observed state of the workload, written by the control plane.' },
);

/** The spec is an empty object, present on every stored Workload. */
function ensureSpec(w: KObject): void {
  if (!isPlainObject(w.spec)) w.spec = {};
}

export const workloadDefinition: ResourceDefinition = defineResource({
  group: 'kuma.io',
  version: 'v1alpha1',
  kind: 'Workload',
  plural: 'workloads',
  singular: 'workload',
  shortNames: ['wl'],
  categories: ['kuma'],
  namespaced: true,
  description:
    'Workload groups the data plane proxies of one namespace that carry the same kuma.io/workload label. ' +
    'The control plane creates, updates and deletes it; status counts its proxies.',
  schema: Type.Object(
    {
      spec: opt(Type.Object({}, { description: 'Always empty: a Workload is defined by the proxies that reference it.' })),
      status: opt(WorkloadStatusSchema),
    },
    { description: 'A workload.' },
  ),
  subresources: { status: true },
  columns: [
    nameColumn,
    meshColumn,
    ageColumn,
    { name: 'Connected', type: 'integer', priority: 1, description: 'Connected data plane proxies.', jsonPath: '.status.dataplaneProxies.connected' },
    { name: 'Healthy', type: 'integer', priority: 1, description: 'Healthy data plane proxies.', jsonPath: '.status.dataplaneProxies.healthy' },
    { name: 'Total', type: 'integer', priority: 1, description: 'All data plane proxies.', jsonPath: '.status.dataplaneProxies.total' },
  ],
  strategy: {
    // Defining prepareForCreate makes status this strategy's job (as for core kinds): status is set only through /status.
    prepareForCreate: (w) => {
      ensureSpec(w);
      delete w.status;
    },
    prepareForUpdate: (w) => ensureSpec(w),
  },
});
