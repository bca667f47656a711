// Kubernetes field selectors (`?fieldSelector=metadata.name=x,status.phase!=Running`).
// Each kind declares which fields it can select on; anything else is a 400 with
// kube-apiserver's wording, which kubectl prints verbatim.

import { badRequest } from './errors.js';
import type { ApiError } from './errors.js';

export interface FieldRequirement {
  field: string;
  /** `==` is folded into `=`, as kube does. */
  op: '=' | '!=';
  value: string;
}

export type FieldGetter<T> = (obj: T, field: string) => string | undefined;
export type FieldMatcher<T> = (obj: T) => boolean;

/** kube's error for a field a built-in kind cannot select on. */
export const fieldLabelNotSupported = (field: string): ApiError => badRequest(`field label not supported: ${field}`);

/** kube's error for custom resources, which only select on name and namespace. */
export const notAKnownFieldSelector = (field: string): ApiError =>
  badRequest(`${JSON.stringify(field)} is not a known field selector: only "metadata.name", "metadata.namespace"`);

// Splits on commas that are not backslash-escaped; escapes stay in the terms.
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '\\') i++;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

// The first operator found scanning left to right wins; at one position `!=`
// and `==` are tried before `=` so the value does not keep a stray `=`.
function splitTerm(term: string): [string, '=' | '==' | '!=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    const two = term.slice(i, i + 2);
    if (two === '!=' || two === '==') return [term.slice(0, i), two, term.slice(i + 2)];
    if (term[i] === '=') return [term.slice(0, i), '=', term.slice(i + 1)];
  }
  return undefined;
}

function unescapeValue(raw: string): string {
  if (!/[\\,=]/.test(raw)) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      const n = raw[i + 1];
      if (n === undefined) throw badRequest('invalid field selector: invalid escape sequence: \\');
      if (n !== '\\' && n !== ',' && n !== '=') throw badRequest(`invalid field selector: invalid escape sequence: \\${n}`);
      out += n;
      i++;
    } else if (c === ',' || c === '=') {
      // Go prints the rune with %v, i.e. as its code point.
      throw badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  return out;
}

/** Parses a field selector string; terms come back sorted, as kube sorts them. */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(selector).sort()) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [field, op, raw] = parts;
    reqs.push({ field, op: op === '!=' ? '!=' : '=', value: unescapeValue(raw) });
  }
  return reqs;
}

/** The value a selector pins a field to (`metadata.name=x`), for fast paths such as a single get. */
export function exactFieldMatch(reqs: readonly FieldRequirement[], field: string): string | undefined {
  return reqs.find((r) => r.field === field && r.op === '=')?.value;
}

/**
 * Compiles a field selector for one kind. `supported` lists the fields the kind
 * can select on; `unsupported` builds the error (built-in kinds and custom
 * resources word it differently). A missing field reads as the empty string.
 */
export function compileFieldSelector<T>(
  selector: string,
  getField: FieldGetter<T>,
  supported: ReadonlySet<string>,
  unsupported: (field: string) => ApiError = fieldLabelNotSupported,
): FieldMatcher<T> {
  const reqs = parseFieldSelector(selector);
  for (const r of reqs) if (!supported.has(r.field)) throw unsupported(r.field);
  if (reqs.length === 0) return () => true;
  return (obj) => {
    for (const r of reqs) {
      const equal = (getField(obj, r.field) ?? '') === r.value;
      if (equal !== (r.op === '=')) return false;
    }
    return true;
  };
}
