// Project (resourcemanager.miloapis.com/v1alpha1, cluster-scoped): a tenant.
// Project `p` owns Namespace `project-p`, where its Workloads, Networks and
// Secrets live; the project controller creates and deletes that namespace.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import type { KObject } from '../object.js';
import { conditionsList, opt, str, strEnum } from '../schemas/index.js';
import { ageColumn, nameColumn, section } from '../core/columns.js';
import { DNS1123_LABEL_MAX, maxLenError } from '../validation/names.js';

export const PROJECT_NAMESPACE_PREFIX = 'project-';
/** Longest project name whose namespace name is still a DNS label. */
export const PROJECT_NAME_MAX = DNS1123_LABEL_MAX - PROJECT_NAMESPACE_PREFIX.length;

export const projectNamespace = (project: string): string => `${PROJECT_NAMESPACE_PREFIX}${project}`;

/** The project a namespace belongs to, or undefined for namespaces outside any project. */
export function projectOfNamespace(namespace: string | undefined): string | undefined {
  if (!namespace?.startsWith(PROJECT_NAMESPACE_PREFIX)) return undefined;
  const name = namespace.slice(PROJECT_NAMESPACE_PREFIX.length);
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) ? name : undefined;
}

function prepareForCreate(p: KObject): void {
  // The namespace name follows from the project name, so it is known at once.
  p.status = { namespace: projectNamespace(p.metadata.name ?? ''), phase: 'Active' };
}

function validateProject(p: KObject): FieldError[] {
  const name = p.metadata.name ?? '';
  // Longer than a DNS label is already reported by the generic name check.
  if (name.length > PROJECT_NAME_MAX && name.length <= DNS1123_LABEL_MAX) {
    return [fieldError.invalid('metadata.name', name, maxLenError(PROJECT_NAME_MAX))];
  }
  return [];
}

const validateUpdate = (p: KObject, _old: KObject, ctx: OperationContext): FieldError[] =>
  ctx.subresource === 'status' ? [] : validateProject(p);

const statusText = (field: string) => (p: KObject) => {
  const v = section(p, 'status')[field];
  return typeof v === 'string' ? v : '';
};

export const projectDefinition: ResourceDefinition = defineResource({
  group: 'resourcemanager.miloapis.com',
  version: 'v1alpha1',
  kind: 'Project',
  plural: 'projects',
  singular: 'project',
  shortNames: ['proj'],
  namespaced: false,
  nameFormat: 'dns1123-label',
  description: 'A tenant: creating project `p` creates namespace `project-p`; deleting it deletes the namespace and everything in it.',
  schema: Type.Object(
    {
      spec: opt(
        Type.Object(
          {
            displayName: opt(str('Human-readable name of the project.')),
            description: opt(str('What the project is for.')),
          },
          { description: 'Desired state of the project.' },
        ),
      ),
      status: opt(
        Type.Object(
          {
            namespace: opt(str('The namespace holding the project\'s resources: `project-<name>`.')),
            phase: opt(strEnum('`Active`, or `Terminating` once deletion was requested.', ['Active', 'Terminating'])),
            conditions: opt(conditionsList('Current observations of the project.')),
          },
          { description: 'Observed state of the project.' },
        ),
      ),
    },
    { description: 'A project.' },
  ),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'Namespace', type: 'string', description: 'Namespace of the project.', value: statusText('namespace'), jsonPath: '.status.namespace' },
    { name: 'Phase', type: 'string', description: 'Phase of the project.', value: statusText('phase'), jsonPath: '.status.phase' },
    ageColumn,
  ],
  strategy: {
    prepareForCreate,
    validate: validateProject,
    validateUpdate,
    prepareForDelete: (p) => {
      p.status = { ...section(p, 'status'), phase: 'Terminating' };
    },
  },
});
