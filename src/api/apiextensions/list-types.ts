// Uniqueness of `x-kubernetes-list-type: set` and `map` lists in custom
// resources: a repeated set element or map key is a Duplicate value, as kube
// reports it. The walk is compiled once per schema (only paths leading to such
// lists are kept), so objects without keyed lists cost nothing.

import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject } from '../object.js';

type S = Record<string, unknown>;

export interface ListNode {
  set?: boolean;
  mapKeys?: string[];
  properties?: Map<string, ListNode>;
  items?: ListNode;
  additional?: ListNode;
}

export function compileListTypes(schema: unknown): ListNode | undefined {
  if (!isPlainObject(schema)) return undefined;
  const s = schema as S;
  const node: ListNode = {};
  let any = false;
  if (s['x-kubernetes-list-type'] === 'set') node.set = any = true;
  if (s['x-kubernetes-list-type'] === 'map' && Array.isArray(s['x-kubernetes-list-map-keys'])) {
    node.mapKeys = s['x-kubernetes-list-map-keys'] as string[];
    any = true;
  }
  if (isPlainObject(s.properties)) {
    for (const [k, v] of Object.entries(s.properties as S)) {
      const c = compileListTypes(v);
      if (c) (node.properties ??= new Map()).set(k, c);
    }
    if (node.properties) any = true;
  }
  if ((node.items = compileListTypes(s.items))) any = true;
  if ((node.additional = compileListTypes(s.additionalProperties))) any = true;
  return any ? node : undefined;
}

export function checkListTypes(node: ListNode, value: unknown, path: string, errs: FieldError[] = []): FieldError[] {
  if (Array.isArray(value)) {
    if (node.set || node.mapKeys) {
      const seen = new Set<string>();
      value.forEach((v, i) => {
        const id = node.mapKeys && isPlainObject(v) ? Object.fromEntries(node.mapKeys.filter((k) => k in v).map((k) => [k, v[k]])) : v;
        const key = JSON.stringify(id);
        if (seen.has(key)) errs.push(fieldError.duplicate(`${path}[${i}]`, id));
        seen.add(key);
      });
    }
    if (node.items) value.forEach((v, i) => checkListTypes(node.items!, v, `${path}[${i}]`, errs));
  } else if (isPlainObject(value)) {
    if (node.properties) for (const [k, c] of node.properties) if (value[k] !== undefined) checkListTypes(c, value[k], path ? `${path}.${k}` : k, errs);
    if (node.additional) for (const [k, v] of Object.entries(value)) checkListTypes(node.additional, v, `${path}[${k}]`, errs);
  }
  return errs;
}
