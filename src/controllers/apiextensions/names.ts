// Which of a CRD's requested names are free: kube's naming rules. Names are
// compared with the accepted names of the other CRDs of the same group and
// with the resources the server serves itself in that group.

import type { KObject } from '../../api/object.js';
import { crdSpec, type CrdNames } from '../../api/apiextensions/crd-types.js';
import { isPlainObject } from '../../api/object.js';

/** A resource some other party already serves in the group. */
export interface TakenNames {
  plural: string;
  singular?: string;
  shortNames?: string[];
  kind: string;
  listKind?: string;
}

export interface NamesVerdict {
  accepted: boolean;
  reason: string;
  message: string;
}

export function acceptedNamesOf(crd: KObject): CrdNames | undefined {
  const st = isPlainObject(crd.status) ? crd.status : {};
  const a = isPlainObject(st.acceptedNames) ? (st.acceptedNames as unknown as CrdNames) : undefined;
  return a && a.plural && a.kind ? a : undefined;
}

/** Checks `crd`'s spec.names against names `taken` by others in its group. */
export function checkNames(crd: KObject, taken: TakenNames[]): NamesVerdict {
  const n = crdSpec(crd).names;
  const resources = new Set<string>();
  const kinds = new Set<string>();
  for (const t of taken) {
    for (const r of [t.plural, t.singular, ...(t.shortNames ?? [])]) if (r) resources.add(r);
    for (const k of [t.kind, t.listKind ?? `${t.kind}List`]) if (k) kinds.add(k);
  }
  const inUse = (v: string) => `"${v}" is already in use`;
  if (resources.has(n.plural)) return { accepted: false, reason: 'PluralConflict', message: inUse(n.plural) };
  if (n.singular && resources.has(n.singular)) return { accepted: false, reason: 'SingularConflict', message: inUse(n.singular) };
  for (const s of n.shortNames ?? []) if (resources.has(s)) return { accepted: false, reason: 'ShortNamesConflict', message: inUse(s) };
  if (kinds.has(n.kind)) return { accepted: false, reason: 'KindConflict', message: inUse(n.kind) };
  const listKind = n.listKind ?? `${n.kind}List`;
  if (kinds.has(listKind)) return { accepted: false, reason: 'ListKindConflict', message: inUse(listKind) };
  return { accepted: true, reason: 'NoConflicts', message: 'no conflicts found' };
}
