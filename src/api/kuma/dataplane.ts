// Dataplane (kuma.io/v1alpha1): one data plane proxy, created by the control
// plane for meshed pods or registered directly (`workplane dp run`). Besides
// the definition this holds the facts other parts read off a Dataplane: its
// workload label rule and whether it is healthy.

import { isIP } from 'node:net';
import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { opt } from '../schemas/index.js';
import { index } from '../validation/field.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../validation/names.js';
import { countAt, labelColumn, meshColumn } from './columns.js';
import { DataplaneSpecSchema } from './dataplane-schema.js';
import { WORKLOAD_LABEL } from './labels.js';

export const WORKLOAD_LABEL_DETAIL = `labels["${WORKLOAD_LABEL}"]: must be a valid DNS-1035 label (at most 63 characters, matching regex [a-z]([-a-z0-9]*[a-z0-9])?)`;
const PORT_RANGE = 'must be between 1 and 65535, inclusive';

const networkingOf = (dp: KObject): Record<string, unknown> => {
  const n = section(dp, 'spec').networking;
  return isPlainObject(n) ? n : {};
};

/** Inbounds as plain records (non-objects skipped). */
export const inboundsOf = (dp: KObject): Record<string, unknown>[] => {
  const ins = networkingOf(dp).inbound;
  return Array.isArray(ins) ? ins.filter(isPlainObject) : [];
};

/** Healthy: some inbound is Ready (absent state counts as Ready) and not reported unhealthy. */
export function isDataplaneHealthy(dp: KObject): boolean {
  return inboundsOf(dp).some((i) => {
    const state = i.state ?? 'Ready';
    const ready = isPlainObject(i.health) ? i.health.ready !== false : true;
    return state === 'Ready' && ready;
  });
}

/** The workload label rule (Universal flow); an empty value counts as no label. */
export function workloadLabelErrors(dp: KObject): FieldError[] {
  const w = dp.metadata.labels?.[WORKLOAD_LABEL];
  if (!w || isDNS1035Label(w).length === 0) return [];
  return [fieldError.invalid('metadata.labels', w, WORKLOAD_LABEL_DETAIL)];
}

const isHostname = (s: string) => isDNS1123Subdomain(s.toLowerCase()).length === 0;

// Non-numbers are the schema's to report.
function portErrors(field: string, v: unknown): FieldError[] {
  return typeof v !== 'number' || (v >= 1 && v <= 65535) ? [] : [fieldError.invalid(field, v, PORT_RANGE)];
}

export function validateDataplane(dp: KObject): FieldError[] {
  const errs = workloadLabelErrors(dp);
  const net = networkingOf(dp);
  const base = 'spec.networking';
  const address = net.address;
  if (typeof address !== 'string' || address === '') errs.push(fieldError.required(`${base}.address`));
  else if (isIP(address) === 0 && !isHostname(address)) errs.push(fieldError.invalid(`${base}.address`, address, 'must be a valid IP address or hostname'));
  inboundsOf(dp).forEach((inb, i) => {
    const at = index(`${base}.inbound`, i);
    errs.push(...portErrors(`${at}.port`, inb.port));
    errs.push(...portErrors(`${at}.servicePort`, inb.servicePort));
    for (const k of ['address', 'serviceAddress'] as const) {
      const a = inb[k];
      if (typeof a === 'string' && a !== '' && isIP(a) === 0) errs.push(fieldError.invalid(`${at}.${k}`, a, 'must be a valid IP address'));
    }
  });
  const admin = net.admin;
  if (isPlainObject(admin)) errs.push(...portErrors(`${base}.admin.port`, admin.port));
  return errs;
}

export const dataplaneDefinition: ResourceDefinition = defineResource({
  group: 'kuma.io',
  version: 'v1alpha1',
  kind: 'Dataplane',
  plural: 'dataplanes',
  singular: 'dataplane',
  shortNames: ['dp'],
  categories: ['kuma'],
  namespaced: true,
  description:
    'Dataplane is one data plane proxy: its address and inbound listeners. Labels kuma.io/mesh and kuma.io/workload ' +
    'place it in a mesh and a Workload.',
  schema: Type.Object({ spec: opt(DataplaneSpecSchema) }, { description: 'A data plane proxy.' }),
  columns: [
    nameColumn,
    meshColumn,
    labelColumn('Workload', WORKLOAD_LABEL, 'Workload of the proxy (label kuma.io/workload).'),
    { name: 'Address', type: 'string', description: 'Address of the proxy.', jsonPath: '.spec.networking.address' },
    ageColumn,
    { name: 'Inbounds', type: 'integer', priority: 1, description: 'Number of inbound listeners.', value: (dp) => countAt(dp, '.spec.networking.inbound') },
  ],
  selectableFields: {
    'spec.networking.address': (dp) => {
      const a = networkingOf(dp).address;
      return typeof a === 'string' ? a : '';
    },
  },
  strategy: {
    validate: validateDataplane,
    validateUpdate: (dp) => validateDataplane(dp),
  },
});
