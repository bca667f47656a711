// Namespace (core/v1, cluster-scoped). Deleting one moves it to Terminating;
// it stays until the namespace controller has emptied it and removed the
// `kubernetes` entry from spec.finalizers (through the finalize subresource).

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { clone, type KObject } from '../object.js';
import { conditionsList, listOf, opt, strEnum } from '../schemas/index.js';
import { invalidEach } from '../validation/field.js';
import { isQualifiedName } from '../validation/names.js';
import { ageColumn, nameColumn, section } from './columns.js';

export const NAMESPACE_FINALIZER = 'kubernetes';
const STANDARD_FINALIZERS = new Set([NAMESPACE_FINALIZER, 'orphan', 'foregroundDeletion']);
const NAME_LABEL = 'kubernetes.io/metadata.name';

const specFinalizers = (ns: KObject): string[] => {
  const f = section(ns, 'spec').finalizers;
  return Array.isArray(f) ? f.filter((x): x is string => typeof x === 'string') : [];
};

// kube labels every namespace with its own name so selectors can pick namespaces by name.
function labelWithName(ns: KObject): void {
  if (!ns.metadata.name) return;
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [NAME_LABEL]: ns.metadata.name };
}

function prepareForCreate(ns: KObject): void {
  const fins = specFinalizers(ns);
  if (!fins.includes(NAMESPACE_FINALIZER)) fins.push(NAMESPACE_FINALIZER);
  ns.spec = { ...section(ns, 'spec'), finalizers: fins };
  ns.status = { phase: 'Active' };
  labelWithName(ns);
}

function prepareForUpdate(ns: KObject, old: KObject, ctx: OperationContext): void {
  if (ctx.subresource === 'finalize') {
    // Only spec.finalizers changes through finalize.
    const fins = section(ns, 'spec').finalizers;
    for (const k of Object.keys(ns)) if (k !== 'spec') ns[k] = clone(old[k]);
    ns.spec = { ...section(old, 'spec') };
    if (fins === undefined) delete (ns.spec as Record<string, unknown>).finalizers;
    else (ns.spec as Record<string, unknown>).finalizers = fins;
    return;
  }
  if (ctx.subresource === 'status') {
    ns.spec = clone(old.spec);
  } else {
    // spec.finalizers change only through finalize; status only through status.
    const spec = section(ns, 'spec');
    const oldFins = section(old, 'spec').finalizers;
    if (oldFins === undefined) delete spec.finalizers;
    else spec.finalizers = clone(oldFins);
    ns.spec = spec;
    if (old.status === undefined) delete ns.status;
    else ns.status = clone(old.status);
  }
  labelWithName(ns);
}

function validateNamespace(ns: KObject): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of specFinalizers(ns)) {
    const msgs = isQualifiedName(f);
    errs.push(...invalidEach('spec.finalizers', f, msgs));
    if (msgs.length === 0 && !f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(fieldError.invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

export const namespaceDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  shortNames: ['ns'],
  namespaced: false,
  nameFormat: 'dns1123-label',
  description: 'A scope for names; deleting it deletes everything in it.',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            finalizers: opt(
              listOf('Must be empty before the namespace is removed; `kubernetes` is added at creation.', Type.String(), { listType: 'atomic' }),
            ),
          },
          { description: 'Desired state of the namespace.' },
        ),
      ),
      status: opt(
        Type.Object(
          {
            phase: opt(strEnum('`Active`, or `Terminating` once deletion was requested.', ['Active', 'Terminating'], { default: 'Active' })),
            conditions: opt(conditionsList('Namespace conditions reported during deletion.')),
          },
          { description: 'Observed state of the namespace.' },
        ),
      ),
    },
    { description: 'A namespace.' },
  ),
  subresources: { status: true },
  extraSubresources: ['finalize', 'status'],
  strategicMerge: true,
  columns: [
    nameColumn,
    { name: 'Status', type: 'string', description: 'Phase of the namespace.', jsonPath: '.status.phase' },
    ageColumn,
  ],
  selectableFields: {
    'status.phase': (ns) => {
      const p = section(ns, 'status').phase;
      return typeof p === 'string' ? p : '';
    },
  },
  strategy: {
    prepareForCreate,
    validate: validateNamespace,
    prepareForUpdate,
    validateUpdate: (ns) => validateNamespace(ns),
    prepareForDelete: (ns) => {
      ns.status = { ...section(ns, 'status'), phase: 'Terminating' };
    },
    pendingFinalization: (ns) => specFinalizers(ns).length > 0,
  },
});
