// Typed views of a CustomResourceDefinition object and its conditions, so the
// validation, the definition builder and the controller read it the same way.

import { isPlainObject, type KObject } from '../object.js';

export const CRD_GROUP = 'apiextensions.k8s.io';
export const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

export interface CrdNames {
  plural: string;
  singular?: string;
  shortNames?: string[];
  kind: string;
  listKind?: string;
  categories?: string[];
}

export interface CrdColumnSpec {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  deprecated?: boolean;
  deprecationWarning?: string;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
  subresources?: { status?: Record<string, unknown>; scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string } };
  additionalPrinterColumns?: CrdColumnSpec[];
  selectableFields?: { jsonPath: string }[];
}

export interface CrdSpec {
  group: string;
  names: CrdNames;
  scope: string;
  versions: CrdVersion[];
  conversion?: { strategy?: string };
  preserveUnknownFields?: boolean;
}

export interface CrdCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** The spec with missing parts as empty values (validation reports them). */
export function crdSpec(crd: KObject): CrdSpec {
  const s = (isPlainObject(crd.spec) ? crd.spec : {}) as Partial<CrdSpec>;
  return {
    ...s,
    group: typeof s.group === 'string' ? s.group : '',
    scope: typeof s.scope === 'string' ? s.scope : '',
    names: (isPlainObject(s.names) ? s.names : {}) as CrdNames,
    versions: (Array.isArray(s.versions) ? s.versions.filter(isPlainObject) : []) as CrdVersion[],
  };
}

export function crdConditions(crd: KObject): CrdCondition[] {
  const st = isPlainObject(crd.status) ? crd.status : {};
  return (Array.isArray(st.conditions) ? st.conditions : []) as CrdCondition[];
}

export const crdCondition = (crd: KObject, type: string) => crdConditions(crd).find((c) => c.type === type);
export const isEstablished = (crd: KObject) => crdCondition(crd, 'Established')?.status === 'True';

/** kube's version priority: GA before beta before alpha, higher numbers first, other names last (alphabetically). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return undefined;
    return { major: Number(m[1]), stage: m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2, minor: Number(m[3] ?? 0) };
  };
  const pa = parse(a);
  const pb = parse(b);
  if (pa && !pb) return -1;
  if (!pa && pb) return 1;
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  if (pa.stage !== pb.stage) return pb.stage - pa.stage;
  if (pa.major !== pb.major) return pb.major - pa.major;
  return pb.minor - pa.minor;
}
