// ResourceQuota (core/v1): caps on what a namespace may hold (pod count,
// requested and limited cpu/memory, object counts). The quota controller
// mirrors spec.hard into status.hard and keeps status.used current; admission
// refuses pods that would go over.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { canonicalQuantity, parseQuantityExact } from '../quantity.js';
import { listOf, opt, resourceList, strEnum, stringList, QUANTITY_PATTERN } from '../schemas/index.js';
import { invalidEach, key } from '../validation/field.js';
import { isQualifiedName } from '../validation/names.js';
import { ageColumn, nameColumn, section } from './columns.js';

const COUNTED_OBJECTS = ['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims'];
const INTEGER_RESOURCES = new Set([...COUNTED_OBJECTS, 'services.nodeports', 'services.loadbalancers']);
/** kube's standard quota resource names (names without a `/`). */
export const STANDARD_QUOTA_RESOURCES = new Set([
  ...INTEGER_RESOURCES,
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.storage',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
]);
export const QUOTA_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity', 'VolumeAttributesClass'];

const QUANTITY_RE = new RegExp(QUANTITY_PATTERN);

const isHugePages = (name: string) => name.startsWith('hugepages-') || name.startsWith('requests.hugepages-');
const isNative = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');

/** Object counts and extended resources (including `count/<resource>`) take whole numbers only. */
export const isIntegerQuotaResource = (name: string) =>
  INTEGER_RESOURCES.has(name) || (!isNative(name) && !name.startsWith('requests.') && isQualifiedName(`requests.${name}`).length === 0);

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (!name.includes('/') && !STANDARD_QUOTA_RESOURCES.has(name) && !isHugePages(name)) {
    errs.push(fieldError.invalid(path, name, 'must be a standard resource for quota'));
  }
  return errs;
}

/** Checks a quota resource list (`spec.hard`, `status.used`...): names and quantities. */
export function validateQuotaResourceList(list: unknown, path: string): FieldError[] {
  if (!isPlainObject(list)) return [];
  const errs: FieldError[] = [];
  for (const [name, raw] of Object.entries(list)) {
    const p = key(path, name);
    errs.push(...validateResourceName(name, p));
    const text = String(raw);
    let q;
    try {
      q = parseQuantityExact(text);
    } catch (e) {
      // Text the schema's pattern refuses is reported there.
      if (QUANTITY_RE.test(text)) errs.push(fieldError.invalid(p, raw, (e as Error).message));
      continue;
    }
    const shown = canonicalQuantity(text);
    if (q.mantissa < 0n) errs.push(fieldError.invalid(p, shown, 'must be greater than or equal to 0'));
    else if (isIntegerQuotaResource(name) && q.exponent < 0 && q.mantissa % 10n ** BigInt(-q.exponent) !== 0n) {
      errs.push(fieldError.invalid(p, shown, 'must be an integer'));
    }
  }
  return errs;
}

// Stored quantities are canonical (`1000m` → `1`), as kube stores them.
function canonicalize(list: unknown): void {
  if (!isPlainObject(list)) return;
  for (const [k, v] of Object.entries(list)) {
    try {
      list[k] = canonicalQuantity(String(v));
    } catch {
      // Left as sent; validation reports it.
    }
  }
}

const validateSpec = (q: KObject) => validateQuotaResourceList(section(q, 'spec').hard, 'spec.hard');
const validateStatus = (q: KObject) => {
  const st = section(q, 'status');
  return [...validateQuotaResourceList(st.hard, 'status.hard'), ...validateQuotaResourceList(st.used, 'status.used')];
};

const shownQuantity = (v: unknown): string => {
  if (v === undefined || v === null) return '0';
  try {
    return canonicalQuantity(String(v));
  } catch {
    return String(v);
  }
};

/** kube's REQUEST / LIMIT cells: `used/hard` for each enforced resource, sorted by name. */
function quotaCell(q: KObject, limits: boolean): string {
  const status = section(q, 'status');
  const hard = isPlainObject(status.hard) ? status.hard : {};
  const used = isPlainObject(status.used) ? status.used : {};
  return Object.keys(hard)
    .sort()
    .filter((name) => name.startsWith('limits.') === limits)
    .map((name) => `${name}: ${shownQuantity(used[name])}/${shownQuantity(hard[name])}`)
    .join(', ');
}
export const quotaRequestCell = (q: KObject) => quotaCell(q, false);
export const quotaLimitCell = (q: KObject) => quotaCell(q, true);

export const resourceQuotaDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  shortNames: ['quota'],
  namespaced: true,
  description: 'Limits on the total resources and object counts a namespace may use.',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            hard: opt(resourceList('Hard limit per resource: `pods`, `requests.cpu`, `requests.memory`, `limits.cpu`, `limits.memory`, `count/<resource>`...')),
            scopes: opt(
              listOf('Only objects matching every scope are counted (e.g. `BestEffort`, `Terminating`).', strEnum('A quota scope.', QUOTA_SCOPES), {
                listType: 'atomic',
              }),
            ),
            scopeSelector: opt(
              Type.Object(
                {
                  matchExpressions: opt(
                    listOf(
                      'Scope requirements, ANDed.',
                      Type.Object(
                        {
                          scopeName: strEnum('The scope the requirement applies to.', QUOTA_SCOPES),
                          operator: strEnum('`In`, `NotIn`, `Exists` or `DoesNotExist`.', ['In', 'NotIn', 'Exists', 'DoesNotExist']),
                          values: opt(stringList('Values for `In`/`NotIn`.')),
                        },
                        { description: 'One scope requirement.', required: ['scopeName', 'operator'] },
                      ),
                      { listType: 'atomic' },
                    ),
                  ),
                },
                { description: 'Scopes as requirements; objects matching them all are counted.', 'x-kubernetes-map-type': 'atomic' },
              ),
            ),
          },
          { description: 'Desired limits.' },
        ),
      ),
      status: opt(
        Type.Object(
          {
            hard: opt(resourceList('Limits being enforced (a copy of spec.hard once observed).')),
            used: opt(resourceList('Current use of each limited resource in the namespace.')),
          },
          { description: 'Enforced limits and current use.' },
        ),
      ),
    },
    { description: 'A resource quota.' },
  ),
  subresources: { status: true },
  strategicMerge: true,
  returnDeletedObject: true,
  columns: [
    nameColumn,
    ageColumn,
    { name: 'Request', type: 'string', description: 'Used and hard amounts of the resources other than limits.', value: quotaRequestCell },
    { name: 'Limit', type: 'string', description: 'Used and hard amounts of the `limits.*` resources.', value: quotaLimitCell },
  ],
  strategy: {
    prepareForCreate: (q) => {
      delete q.status;
      canonicalize(section(q, 'spec').hard);
    },
    validate: validateSpec,
    prepareForUpdate: (q) => canonicalize(section(q, 'spec').hard),
    validateUpdate: (q: KObject, _old: KObject, ctx: OperationContext) => (ctx.subresource === 'status' ? validateStatus(q) : validateSpec(q)),
  },
});
