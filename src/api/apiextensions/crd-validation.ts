// Validation of a CustomResourceDefinition with kube-apiserver's messages
// (apiextensions validation): names, group, scope, versions, the structural
// schema of each version, CEL rules, printer columns, subresources, and the
// fields that may not change once the CRD is established.

import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { child, immutable, index, invalidEach } from '../validation/field.js';
import { isDNS1035Label, isDNS1123Subdomain } from '../validation/names.js';
import { compileRules } from './cel-rules.js';
import { COLUMN_TYPES, toJsonPathPlus } from './printer-columns.js';
import { validateStructural } from './structural-schema.js';
import { crdSpec, isEstablished, type CrdSpec, type CrdVersion } from './crd-types.js';

const SCOPES = ['Cluster', 'Namespaced'];
const PROTECTED = /(^|\.)(k8s\.io|kubernetes\.io)$/;
export const API_APPROVED_ANNOTATION = 'api-approved.kubernetes.io';

export function validateCrd(crd: KObject): FieldError[] {
  const spec = crdSpec(crd);
  const errs: FieldError[] = [];
  const name = crd.metadata.name ?? '';
  if (name && name !== `${spec.names.plural}.${spec.group}`) {
    errs.push(fieldError.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  if (spec.group && PROTECTED.test(spec.group) && !crd.metadata.annotations?.[API_APPROVED_ANNOTATION]) {
    errs.push(
      fieldError.required(
        `metadata.annotations[${API_APPROVED_ANNOTATION}]`,
        `protected groups must have approval annotation "${API_APPROVED_ANNOTATION}", see https://github.com/kubernetes/enhancements/pull/1111`,
      ),
    );
  }
  errs.push(...validateSpec(spec, 'spec'));
  return errs;
}

export function validateCrdUpdate(crd: KObject, old: KObject): FieldError[] {
  const errs = validateCrd(crd);
  const spec = crdSpec(crd);
  const prev = crdSpec(old);
  if (isEstablished(old)) {
    if (spec.scope !== prev.scope) errs.push(immutable('spec.scope', spec.scope));
    if (spec.names.kind !== prev.names.kind) errs.push(immutable('spec.names.kind', spec.names.kind));
  }
  if (spec.group !== prev.group) errs.push(immutable('spec.group', spec.group));
  if (spec.names.plural !== prev.names.plural) errs.push(immutable('spec.names.plural', spec.names.plural));
  const names = new Set(spec.versions.map((v) => v.name));
  const stored = (isPlainObject(crd.status) && Array.isArray(crd.status.storedVersions) ? crd.status.storedVersions : []) as string[];
  stored.forEach((v, i) => {
    if (!names.has(v)) errs.push(fieldError.invalid(index('status.storedVersions', i), v, 'must appear in spec.versions'));
  });
  return errs;
}

function validateSpec(spec: CrdSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const group = spec.group;
  if (!group) errs.push(fieldError.required(child(path, 'group')));
  else {
    const bad = isDNS1123Subdomain(group);
    if (bad.length) errs.push(fieldError.invalid(child(path, 'group'), group, bad.join(',')));
    else if (group.split('.').length < 2) errs.push(fieldError.invalid(child(path, 'group'), group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(fieldError.required(child(path, 'scope')));
  else if (!SCOPES.includes(spec.scope)) errs.push(fieldError.notSupported(child(path, 'scope'), spec.scope, SCOPES));
  errs.push(...validateVersions(spec, child(path, 'versions')));
  errs.push(...validateNames(spec.names, child(path, 'names'), true));
  const strategy = spec.conversion?.strategy ?? 'None';
  if (strategy === 'Webhook') {
    errs.push(fieldError.forbidden(child(path, 'conversion', 'strategy'), 'webhook conversion is not supported by this server; use None'));
  } else if (strategy !== 'None') errs.push(fieldError.notSupported(child(path, 'conversion', 'strategy'), strategy, ['None', 'Webhook']));
  if (spec.preserveUnknownFields === true) errs.push(fieldError.invalid(child(path, 'preserveUnknownFields'), true, 'must be false in order to use defaults in the schema'));
  return errs;
}

function validateVersions(spec: CrdSpec, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const versions = spec.versions;
  if (versions.length === 0) return [fieldError.required(path, 'must have at least one version')];
  const seen = new Set<string>();
  let unique = true;
  let storage = 0;
  versions.forEach((v, i) => {
    const vp = index(path, i);
    if (v.storage) storage++;
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    const bad = isDNS1035Label(v.name ?? '');
    if (bad.length) errs.push(fieldError.invalid(child(vp, 'name'), v.name, bad.join(',')));
    errs.push(...validateVersion(v, vp));
  });
  const shown = versions.map((v) => ({ name: v.name, served: v.served, storage: v.storage }));
  if (!unique) errs.push(fieldError.invalid(path, shown, 'must contain unique version names'));
  if (storage !== 1) errs.push(fieldError.invalid(path, shown, 'must have exactly one version marked as storage version'));
  if (!versions.some((v) => v.served)) errs.push(fieldError.invalid(path, shown, 'must have at least one served version'));
  return errs;
}

function validateVersion(v: CrdVersion, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const sp = child(path, 'schema', 'openAPIV3Schema');
  const schema = v.schema?.openAPIV3Schema;
  if (!isPlainObject(schema)) errs.push(fieldError.required(sp, 'schemas are required'));
  else {
    const structural = validateStructural(schema, sp);
    errs.push(...structural);
    // CEL needs a structural schema to know what `self` is.
    if (structural.length === 0) compileRules(schema, sp, errs);
  }
  if (v.deprecationWarning !== undefined && !v.deprecated) {
    errs.push(fieldError.invalid(child(path, 'deprecationWarning'), v.deprecationWarning, 'can only be set for deprecated versions'));
  }
  const scale = v.subresources?.scale;
  if (scale) {
    const scp = child(path, 'subresources', 'scale');
    const under = (f: 'specReplicasPath' | 'statusReplicasPath' | 'labelSelectorPath', prefixes: string[], what: string, required: boolean) => {
      const p = scale[f];
      if (!p) {
        if (required) errs.push(fieldError.required(child(scp, f)));
        return;
      }
      if (!toJsonPathPlus(p) || p.includes('[')) errs.push(fieldError.invalid(child(scp, f), p, 'must be a simple json path'));
      else if (!prefixes.some((pre) => p.startsWith(pre))) errs.push(fieldError.invalid(child(scp, f), p, what));
    };
    under('specReplicasPath', ['.spec.'], 'should be a json path under .spec', true);
    under('statusReplicasPath', ['.status.'], 'should be a json path under .status', true);
    under('labelSelectorPath', ['.spec.', '.status.'], 'should be a json path under either .spec or .status', false);
  }
  (v.additionalPrinterColumns ?? []).forEach((c, i) => {
    const cp = index(child(path, 'additionalPrinterColumns'), i);
    if (!c.name) errs.push(fieldError.required(child(cp, 'name')));
    if (!c.type) errs.push(fieldError.required(child(cp, 'type')));
    else if (!(COLUMN_TYPES as readonly string[]).includes(c.type)) errs.push(fieldError.notSupported(child(cp, 'type'), c.type, [...COLUMN_TYPES]));
    if (c.format && !['int32', 'int64', 'float', 'double', 'byte', 'date', 'date-time', 'password', 'name'].includes(c.format)) {
      errs.push(fieldError.notSupported(child(cp, 'format'), c.format, ['int32', 'int64', 'float', 'double', 'byte', 'date', 'date-time', 'password']));
    }
    if (c.priority !== undefined && c.priority < 0) errs.push(fieldError.invalid(child(cp, 'priority'), c.priority, 'must be greater than or equal to 0'));
    if (!c.jsonPath) errs.push(fieldError.required(child(cp, 'jsonPath')));
    else if (!toJsonPathPlus(c.jsonPath)) errs.push(fieldError.invalid(child(cp, 'jsonPath'), c.jsonPath, 'must be a simple json path'));
  });
  (v.selectableFields ?? []).forEach((f, i) => {
    const fp = child(index(child(path, 'selectableFields'), i), 'jsonPath');
    if (!f.jsonPath) errs.push(fieldError.required(fp));
    else if (!toJsonPathPlus(f.jsonPath) || f.jsonPath.includes('[')) errs.push(fieldError.invalid(fp, f.jsonPath, 'must be a simple json path'));
  });
  return errs;
}

export function validateNames(names: CrdSpec['names'], path: string, requireAll: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (requireAll) {
    for (const f of ['plural', 'singular', 'kind', 'listKind'] as const) if (!names[f]) errs.push(fieldError.required(child(path, f)));
  }
  const label = (f: string, v: string | undefined) => {
    if (v) errs.push(...[isDNS1035Label(v)].filter((e) => e.length).map((e) => fieldError.invalid(child(path, f), v, e.join(','))));
  };
  label('plural', names.plural);
  label('singular', names.singular);
  for (const f of ['kind', 'listKind'] as const) {
    const v = names[f];
    if (!v) continue;
    const bad = isDNS1035Label(v.toLowerCase());
    if (bad.length) errs.push(fieldError.invalid(child(path, f), v, `may have mixed case, but should otherwise match: ${bad.join(',')}`));
  }
  (names.shortNames ?? []).forEach((s, i) => errs.push(...invalidEach(index(child(path, 'shortNames'), i), s, [isDNS1035Label(s).join(',')].filter(Boolean))));
  if (names.kind && names.kind === names.listKind) errs.push(fieldError.invalid(child(path, 'listKind'), names.listKind, 'kind and listKind may not be the same'));
  (names.categories ?? []).forEach((c, i) => errs.push(...invalidEach(index(child(path, 'categories'), i), c, [isDNS1035Label(c).join(',')].filter(Boolean))));
  return errs;
}
