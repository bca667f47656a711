// x-kubernetes-validations: CEL rules of a CRD schema, compiled once when the
// CRD is registered (@bufbuild/cel) and evaluated on every write with `self`
// bound to the value at the rule's node and, for transition rules, `oldSelf`
// to its previous value. Failures read as kube writes them:
// `spec.x: Invalid value: "object": <message>`.

import { CelScalar, celEnv, isCelError, parse, plan, type CelEnv } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { fieldError, type FieldError, type FieldErrorType } from '../errors.js';
import { deepEqual, isPlainObject } from '../object.js';

type S = Record<string, unknown>;
type Program = (vars: { self: unknown; oldSelf?: unknown }) => unknown;

export interface CompiledRule {
  rule: string;
  program: Program;
  message?: string;
  messageExpression?: Program;
  fieldPath?: string;
  reason?: string;
  /** References oldSelf: only evaluated on update, when the old value exists. */
  transition: boolean;
}

/** The rules of one schema node and of the nodes beneath it that have any. */
export interface RuleNode {
  type: string;
  rules: CompiledRule[];
  properties?: Map<string, RuleNode>;
  items?: RuleNode;
  additional?: RuleNode;
  /** Keys of a `map` list, to pair old and new items. */
  mapKeys?: string[];
}

const REASONS = ['FieldValueInvalid', 'FieldValueForbidden', 'FieldValueRequired', 'FieldValueDuplicate'];

let env: CelEnv | undefined;
const celEnvironment = () => (env ??= celEnv({ variables: { self: CelScalar.DYN, oldSelf: CelScalar.DYN }, funcs: strings }));

type Parsed = ReturnType<typeof parse>;
/** The parts of a parsed CEL expression the field check reads. */
type AstNode = { exprKind?: { case?: string; value?: { field?: string; operand?: AstNode; name?: string } } };

function compile(expr: string, parsed: Parsed = parse(expr)): Program {
  const p = plan(celEnvironment(), parsed) as (ctx: Record<string, unknown>) => unknown;
  return (vars) => p(vars as Record<string, unknown>);
}

/** Fields `self.a.b` / `oldSelf.a` names that the schema does not declare (kube's type check, for field access only). */
function undefinedFields(expr: Parsed['expr'], schema: S, atRoot: boolean): string[] {
  const out = new Set<string>();
  const visit = (e: unknown): void => {
    if (!e || typeof e !== 'object') return;
    const kind = (e as { exprKind?: { case?: string; value?: unknown } }).exprKind;
    if (kind?.case === 'selectExpr') {
      const chain: string[] = [];
      let cur = e as AstNode | undefined;
      while (cur?.exprKind?.case === 'selectExpr') {
        chain.unshift(cur.exprKind.value?.field ?? '');
        cur = cur.exprKind.value?.operand;
      }
      const root = cur?.exprKind?.case === 'identExpr' ? cur.exprKind.value?.name : undefined;
      if (root === 'self' || root === 'oldSelf') {
        const bad = firstUndeclared(schema, chain, atRoot);
        if (bad) out.add(bad);
      }
    }
    for (const v of Object.values(kind?.value ?? {})) {
      if (Array.isArray(v)) v.forEach(visit);
      else visit(v);
    }
  };
  visit(expr);
  return [...out];
}

function firstUndeclared(schema: S, chain: string[], root: boolean): string | undefined {
  let cur: S | undefined = schema;
  for (let i = 0; i < chain.length; i++) {
    const f = chain[i]!;
    if (!cur || cur['x-kubernetes-preserve-unknown-fields'] === true || (typeof cur.type === 'string' && cur.type !== 'object')) return undefined;
    if (root && i === 0 && (f === 'apiVersion' || f === 'kind')) return undefined;
    if (root && i === 0 && f === 'metadata') {
      const next = chain[1];
      return next === undefined || next === 'name' || next === 'generateName' ? undefined : next;
    }
    const props = isPlainObject(cur.properties) ? (cur.properties as S) : undefined;
    if (props && f in props) cur = props[f] as S;
    else if (isPlainObject(cur.additionalProperties)) cur = cur.additionalProperties as S;
    else return f;
  }
  return undefined;
}

const mentionsOldSelf = (expr: string) => /\boldSelf\b/.test(expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'));

/**
 * Compiles every rule under `schema`. Returns undefined when the schema has none.
 * Compilation problems come back as field errors at `path` (the CRD's schema path).
 */
export function compileRules(schema: unknown, path: string, errs: FieldError[], root = true): RuleNode | undefined {
  if (!isPlainObject(schema)) return undefined;
  const s = schema as S;
  const node: RuleNode = { type: typeOf(s), rules: [] };
  let any = false;
  const list = s['x-kubernetes-validations'];
  if (Array.isArray(list)) {
    list.forEach((raw, i) => {
      const rp = `${path}.x-kubernetes-validations[${i}]`;
      const r = isPlainObject(raw) ? (raw as S) : {};
      if (typeof r.rule !== 'string' || r.rule.trim() === '') {
        errs.push(fieldError.required(`${rp}.rule`));
        return;
      }
      const rule = r.rule;
      const compiled: CompiledRule = { rule, program: () => true, transition: mentionsOldSelf(rule) };
      try {
        const parsed = parse(rule);
        const missing = undefinedFields(parsed.expr, s, root);
        if (missing.length) {
          errs.push(fieldError.invalid(`${rp}.rule`, rule, `compilation failed: ${missing.map((f) => `undefined field '${f}'`).join(', ')}`));
          return;
        }
        compiled.program = compile(rule, parsed);
      } catch (e) {
        errs.push(fieldError.invalid(`${rp}.rule`, rule, `compilation failed: ${(e as Error).message}`));
        return;
      }
      if (typeof r.message === 'string') {
        if (r.message.trim() === '') errs.push(fieldError.invalid(`${rp}.message`, r.message, 'message must be non-empty if specified'));
        else if (/[\r\n]/.test(r.message)) errs.push(fieldError.invalid(`${rp}.message`, r.message, 'message must not contain line breaks'));
        compiled.message = r.message;
      }
      if (typeof r.messageExpression === 'string') {
        try {
          compiled.messageExpression = compile(r.messageExpression);
        } catch (e) {
          errs.push(fieldError.invalid(`${rp}.messageExpression`, r.messageExpression, `messageExpression compilation failed: ${(e as Error).message}`));
        }
      }
      if (r.reason !== undefined) {
        if (!REASONS.includes(r.reason as string)) errs.push(fieldError.notSupported(`${rp}.reason`, r.reason, REASONS));
        else compiled.reason = r.reason as string;
      }
      if (typeof r.fieldPath === 'string' && r.fieldPath !== '') {
        if (!fieldPathExists(s, r.fieldPath)) errs.push(fieldError.invalid(`${rp}.fieldPath`, r.fieldPath, 'fieldPath must be a valid path'));
        compiled.fieldPath = r.fieldPath;
      }
      node.rules.push(compiled);
      any = true;
    });
  }
  if (isPlainObject(s.properties)) {
    for (const [k, v] of Object.entries(s.properties as S)) {
      const child = compileRules(v, `${path}.properties[${k}]`, errs, false);
      if (child) (node.properties ??= new Map()).set(k, child);
    }
    if (node.properties) any = true;
  }
  if (isPlainObject(s.items)) {
    node.items = compileRules(s.items, `${path}.items`, errs, false);
    if (node.items) any = true;
    if (s['x-kubernetes-list-type'] === 'map' && Array.isArray(s['x-kubernetes-list-map-keys'])) node.mapKeys = s['x-kubernetes-list-map-keys'] as string[];
  }
  if (isPlainObject(s.additionalProperties)) {
    node.additional = compileRules(s.additionalProperties, `${path}.additionalProperties`, errs, false);
    if (node.additional) any = true;
  }
  return any ? node : undefined;
}

function typeOf(s: S): string {
  if (typeof s.type === 'string') return s.type;
  if (s['x-kubernetes-int-or-string'] === true) return 'integer';
  return 'object';
}

/** `.spec.replicas`, `.foo['bar.baz']`: must name a declared field below the rule's node. */
function fieldPathExists(s: S, fp: string): boolean {
  const segs = splitFieldPath(fp);
  if (!segs) return false;
  let cur: S | undefined = s;
  for (const seg of segs) {
    const props: S | undefined = cur && isPlainObject(cur.properties) ? (cur.properties as S) : undefined;
    const next: unknown = props?.[seg] ?? (cur && isPlainObject(cur.additionalProperties) ? cur.additionalProperties : undefined);
    if (!isPlainObject(next)) return cur?.['x-kubernetes-preserve-unknown-fields'] === true;
    cur = next as S;
  }
  return true;
}

function splitFieldPath(fp: string): string[] | undefined {
  const out: string[] = [];
  const re = /\.([A-Za-z_$][\w$-]*)|\['((?:[^'\\]|\\.)*)'\]/y;
  let i = 0;
  while (i < fp.length) {
    re.lastIndex = i;
    const m = re.exec(fp);
    if (!m) return undefined;
    out.push(m[1] ?? m[2]!);
    i = re.lastIndex;
  }
  return out.length ? out : undefined;
}

const joinFieldPath = (base: string, fp: string) => {
  const segs = splitFieldPath(fp) ?? [];
  return segs.reduce((p, s) => (/^[A-Za-z_$][\w$-]*$/.test(s) ? (p ? `${p}.${s}` : s) : `${p}[${s}]`), base);
};

/** CEL sees integers as int (bigint); JSON numbers arrive as doubles. */
function toCel(v: unknown, s: RuleNode | undefined, intHint: boolean): unknown {
  if (typeof v === 'number') return intHint || (Number.isInteger(v) && s?.type !== 'number') ? BigInt(Math.trunc(v)) : v;
  if (Array.isArray(v)) return v.map((x) => toCel(x, s?.items, false));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toCel(x, s?.properties?.get(k) ?? s?.additional, false);
    return out;
  }
  return v;
}

/**
 * Evaluates the rules under `node` against `value` (and `old`, on update) and
 * returns one field error per failed rule. Values that did not change are not
 * checked again (kube's validation ratcheting), so a stricter rule never blocks
 * unrelated writes to objects stored before it.
 */
export function evaluateRules(node: RuleNode, value: unknown, old: unknown, path: string, hasOld: boolean): FieldError[] {
  const errs: FieldError[] = [];
  walkRules(node, value, old, path, hasOld, errs);
  return errs;
}

function walkRules(node: RuleNode, value: unknown, old: unknown, path: string, hasOld: boolean, errs: FieldError[]): void {
  if (value === undefined || value === null) return;
  if (hasOld && old !== undefined && deepEqual(value, old)) return;
  if (node.rules.length) {
    const self = toCel(value, node, node.type === 'integer');
    const oldSelf = hasOld && old !== undefined ? toCel(old, node, node.type === 'integer') : undefined;
    for (const r of node.rules) {
      if (r.transition && oldSelf === undefined) continue;
      const res = r.program(r.transition ? { self, oldSelf } : { self });
      if (res === true) continue;
      const where = r.fieldPath ? joinFieldPath(path, r.fieldPath) : path;
      if (isCelError(res)) {
        errs.push(fieldError.invalid(where, node.type, `${r.rule}: rule evaluation error: ${res.message}`));
        continue;
      }
      errs.push(ruleError(r, where, node.type, self, oldSelf));
    }
  }
  if (node.properties && isPlainObject(value)) {
    const o = isPlainObject(old) ? old : undefined;
    for (const [k, child] of node.properties) walkRules(child, value[k], o?.[k], path ? `${path}.${k}` : k, hasOld && o !== undefined, errs);
  }
  if (node.additional && isPlainObject(value)) {
    const o = isPlainObject(old) ? old : undefined;
    for (const [k, v] of Object.entries(value)) walkRules(node.additional, v, o?.[k], `${path}[${k}]`, hasOld && o !== undefined, errs);
  }
  if (node.items && Array.isArray(value)) {
    const olds = Array.isArray(old) && node.mapKeys ? old : undefined;
    value.forEach((v, i) => {
      const prev = olds?.find((o) => isPlainObject(o) && isPlainObject(v) && node.mapKeys!.every((k) => deepEqual(o[k], v[k])));
      walkRules(node.items!, v, prev, `${path}[${i}]`, prev !== undefined, errs);
    });
  }
}

function ruleError(r: CompiledRule, where: string, type: string, self: unknown, oldSelf: unknown): FieldError {
  let message = r.message ?? `failed rule: ${r.rule}`;
  if (r.messageExpression) {
    const m = r.messageExpression(oldSelf === undefined ? { self } : { self, oldSelf });
    if (typeof m === 'string' && m.trim() !== '' && !/[\r\n]/.test(m)) message = m;
  }
  const reason = (r.reason ?? 'FieldValueInvalid') as FieldErrorType;
  switch (reason) {
    case 'FieldValueForbidden':
      return fieldError.forbidden(where, message);
    case 'FieldValueRequired':
      return fieldError.required(where, message);
    case 'FieldValueDuplicate':
      return fieldError.duplicate(where, type);
    default:
      return fieldError.invalid(where, type, message);
  }
}
