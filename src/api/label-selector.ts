// Kubernetes label selectors: the string form clients send as `?labelSelector=`
// and the LabelSelector object (matchLabels / matchExpressions) that workloads
// carry. Both compile to one matcher. Parse errors reproduce kube-apiserver's
// wording because kubectl prints the server's message verbatim.

import { badRequest } from './errors.js';

/** kube's selection.Operator spellings. */
export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** Sorted and de-duplicated, as kube keeps them; empty for exists / `!`. */
  values: string[];
}

export type Labels = Readonly<Record<string, string>> | undefined;
export type LabelMatcher = (labels: Labels) => boolean;

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

// ---- key / value validation (k8s.io/apimachinery/pkg/util/validation) ----

const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const qualifiedNameMsg =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueRe = new RegExp(`^${labelValueFmt}$`);
const labelValueMsg =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const dnsLabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dnsSubdomainFmt = `${dnsLabelFmt}(\\.${dnsLabelFmt})*`;
const dnsSubdomainRe = new RegExp(`^${dnsSubdomainFmt}$`);
const dnsSubdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

function regexError(msg: string, fmt: string, ...examples: string[]): string {
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** kube's IsQualifiedName messages for a label key; empty when valid. */
export function labelKeyErrors(key: string): string[] {
  const errs: string[] = [];
  const parts = key.split('/');
  if (parts.length > 2) {
    return [
      `a qualified name ${regexError(qualifiedNameMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  const name = parts.length === 2 ? parts[1] : parts[0];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else {
      if (prefix.length > 253) errs.push('prefix part must be no more than 253 characters');
      if (!dnsSubdomainRe.test(prefix)) errs.push(`prefix part ${regexError(dnsSubdomainMsg, dnsSubdomainFmt, 'example.com')}`);
    }
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!qualifiedNameRe.test(name)) errs.push(`name part ${regexError(qualifiedNameMsg, qualifiedNameFmt, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** kube's IsValidLabelValue messages; empty when valid. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!labelValueRe.test(value)) errs.push(regexError(labelValueMsg, labelValueFmt, 'MyValue', 'my_value', '12345'));
  return errs;
}

const goStrings = (vals: string[]) => `[]string{${vals.map((v) => JSON.stringify(v)).join(', ')}}`;

/** kube's NewRequirement checks, as an aggregate message (or undefined when valid). */
function requirementError(key: string, op: LabelOperator, values: string[]): string | undefined {
  const errs: string[] = [];
  const keyErrs = labelKeyErrors(key);
  if (keyErrs.length) errs.push(`key: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  if ((op === 'in' || op === 'notin') && values.length === 0) {
    errs.push(`values: Invalid value: ${goStrings(values)}: for 'in', 'notin' operators, values set can't be empty`);
  } else if ((op === '=' || op === '==' || op === '!=') && values.length !== 1) {
    errs.push(`values: Invalid value: ${goStrings(values)}: exact-match compatibility requires one single value`);
  } else if ((op === 'exists' || op === '!') && values.length !== 0) {
    errs.push(`values: Invalid value: ${goStrings(values)}: values set must be empty for exists and does not exist`);
  } else if (op === 'gt' || op === 'lt') {
    if (values.length !== 1) errs.push(`values: Invalid value: ${goStrings(values)}: for 'Gt', 'Lt' operators, exactly one value is required`);
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v)) errs.push(`values[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
    });
  }
  values.forEach((v, i) => {
    const vErrs = labelValueErrors(v);
    if (vErrs.length) errs.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${vErrs.join('; ')}`);
  });
  const unique = [...new Set(errs)];
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`;
}

// ---- string syntax: lexer + recursive-descent parser ----

const enum Tok {
  End,
  Ident,
  In,
  NotIn,
  Bang,
  Eq,
  DoubleEq,
  NotEq,
  Gt,
  Lt,
  Open,
  Close,
  Comma,
}

interface Token {
  t: Tok;
  lit: string;
}

const symbols: Record<string, Tok> = { '!': Tok.Bang, '=': Tok.Eq, '>': Tok.Gt, '<': Tok.Lt, '(': Tok.Open, ')': Tok.Close, ',': Tok.Comma };
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i])) i++;
    if (i >= s.length) {
      out.push({ t: Tok.End, lit: '' });
      return out;
    }
    const two = s.slice(i, i + 2);
    if (two === '==' || two === '!=') {
      out.push({ t: two === '==' ? Tok.DoubleEq : Tok.NotEq, lit: two });
      i += 2;
    } else if (s[i] in symbols) {
      out.push({ t: symbols[s[i]], lit: s[i] });
      i++;
    } else {
      let j = i;
      while (j < s.length && !isSpace(s[j]) && !(s[j] in symbols)) j++;
      const word = s.slice(i, j);
      out.push({ t: word === 'in' ? Tok.In : word === 'notin' ? Tok.NotIn : Tok.Ident, lit: word });
      i = j;
    }
  }
}

const binaryOps: Partial<Record<Tok, LabelOperator>> = {
  [Tok.In]: 'in',
  [Tok.NotIn]: 'notin',
  [Tok.Eq]: '=',
  [Tok.DoubleEq]: '==',
  [Tok.NotEq]: '!=',
  [Tok.Gt]: 'gt',
  [Tok.Lt]: 'lt',
};

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  // Where a value may appear, `in` / `notin` are ordinary words (`a in (in)`).
  private peek(asValue = true): Token {
    const tk = this.toks[this.pos];
    return asValue && (tk.t === Tok.In || tk.t === Tok.NotIn) ? { t: Tok.Ident, lit: tk.lit } : tk;
  }

  private next(asValue = true): Token {
    const tk = this.peek(asValue);
    if (tk.t !== Tok.End) this.pos++;
    return tk;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const tk = this.peek();
      if (tk.t === Tok.End) return reqs;
      if (tk.t !== Tok.Ident && tk.t !== Tok.Bang) throw new Error(`found '${tk.lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirement());
      const after = this.next();
      if (after.t === Tok.End) return reqs;
      if (after.t !== Tok.Comma) throw new Error(`found '${after.lit}', expected: ',' or 'end of string'`);
      const la = this.peek();
      if (la.t !== Tok.Ident && la.t !== Tok.Bang) throw new Error(`found '${la.lit}', expected: identifier after ','`);
    }
  }

  private requirement(): LabelRequirement {
    let tk = this.next();
    const negated = tk.t === Tok.Bang;
    if (negated) tk = this.next();
    if (tk.t !== Tok.Ident) throw new Error(`unable to parse requirement: found '${tk.lit}', expected: identifier`);
    const key = tk.lit;
    const keyErrs = labelKeyErrors(key);
    if (keyErrs.length) throw new Error(`unable to parse requirement: <nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
    const la = this.peek();
    if (negated || la.t === Tok.End || la.t === Tok.Comma) return { key, operator: negated ? '!' : 'exists', values: [] };
    const opTok = this.next(false);
    const operator = binaryOps[opTok.t];
    if (!operator) throw new Error(`unable to parse requirement: found '${opTok.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = sortedSet(operator === 'in' || operator === 'notin' ? this.valueSet() : [this.exactValue()]);
    const err = requirementError(key, operator, values);
    if (err) throw new Error(`unable to parse requirement: ${err}`);
    return { key, operator, values };
  }

  private exactValue(): string {
    const la = this.peek();
    if (la.t === Tok.End || la.t === Tok.Comma) return '';
    const tk = this.next();
    if (tk.t !== Tok.Ident) throw new Error(`unable to parse requirement: found '${tk.lit}', expected: identifier`);
    return tk.lit;
  }

  // `(a,b)`; empty members such as `(,a)` or `()` stand for the empty value.
  private valueSet(): string[] {
    const open = this.next();
    if (open.t !== Tok.Open) throw new Error(`unable to parse requirement: found '${open.lit}' expected: '('`);
    const first = this.peek();
    if (first.t === Tok.Close) {
      this.next();
      return [''];
    }
    if (first.t !== Tok.Ident && first.t !== Tok.Comma) {
      throw new Error(`unable to parse requirement: found '${first.lit}', expected: ',', ')' or identifier`);
    }
    const vals: string[] = [];
    for (;;) {
      const tk = this.next();
      if (tk.t === Tok.Ident) {
        vals.push(tk.lit);
        const la = this.peek();
        if (la.t === Tok.Close) break;
        if (la.t !== Tok.Comma) throw new Error(`unable to parse requirement: found '${la.lit}', expected: ',' or ')'`);
      } else if (tk.t === Tok.Comma) {
        const la = this.peek();
        if (vals.length === 0 || la.t === Tok.Close || la.t === Tok.Comma) vals.push('');
        if (la.t === Tok.Close) break;
      } else {
        throw new Error(`unable to parse requirement: found '${tk.lit}', expected: ',', or identifier`);
      }
    }
    this.next(); // the closing parenthesis
    return vals;
  }
}

const sortedSet = (vals: string[]) => [...new Set(vals)].sort();

/** Parses `a=b,c in (x,y),!d` into requirements sorted by key; throws a 400 on bad syntax. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  try {
    return new Parser(lex(selector)).parse().sort(byKey);
  } catch (e) {
    throw badRequest((e as Error).message);
  }
}

const byKey = (a: LabelRequirement, b: LabelRequirement) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

// ---- matching ----

function compileRequirement({ key, operator, values }: LabelRequirement): LabelMatcher {
  const lookup = (l: Labels) => (l !== undefined && Object.hasOwn(l, key) ? l[key] : undefined);
  const single = values.length === 1 ? values[0] : undefined;
  const set = new Set(values);
  const hit = single !== undefined ? (v: string) => v === single : (v: string) => set.has(v);
  switch (operator) {
    case '=':
    case '==':
    case 'in':
      return (l) => {
        const v = lookup(l);
        return v !== undefined && hit(v);
      };
    case '!=':
    case 'notin':
      return (l) => {
        const v = lookup(l);
        return v === undefined || !hit(v);
      };
    case 'exists':
      return (l) => lookup(l) !== undefined;
    case '!':
      return (l) => lookup(l) === undefined;
    case 'gt':
    case 'lt': {
      const bound = BigInt(values[0]);
      return (l) => {
        const v = lookup(l);
        if (v === undefined || !/^[+-]?\d+$/.test(v)) return false;
        return operator === 'gt' ? BigInt(v) > bound : BigInt(v) < bound;
      };
    }
  }
}

/** A matcher requiring every requirement (an empty list matches everything). */
export function requirementsMatcher(reqs: readonly LabelRequirement[]): LabelMatcher {
  const ms = reqs.map(compileRequirement);
  if (ms.length === 0) return () => true;
  if (ms.length === 1) return ms[0];
  return (l) => ms.every((m) => m(l));
}

/** Parses and compiles a `?labelSelector=` string. */
export function compileLabelSelector(selector: string): LabelMatcher {
  return requirementsMatcher(parseLabelSelector(selector));
}

// ---- the LabelSelector object ----

const objectOps: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

function objectRequirements(sel: LabelSelector, validate: boolean): LabelRequirement[] {
  const reqs: LabelRequirement[] = [];
  const check = (r: LabelRequirement) => {
    const err = validate ? requirementError(r.key, r.operator, r.values) : undefined;
    if (err) throw badRequest(err);
    reqs.push(r);
  };
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) check({ key, operator: '=', values: [value] });
  for (const expr of sel.matchExpressions ?? []) {
    const operator = objectOps[expr.operator];
    if (!operator) throw badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    check({ key: expr.key, operator, values: [...(expr.values ?? [])] });
  }
  return reqs.sort(byKey);
}

/**
 * As kube's LabelSelectorAsSelector: a missing selector matches nothing, an
 * empty one matches everything.
 */
export function fromLabelSelector(sel: LabelSelector | null | undefined): LabelMatcher {
  if (sel === null || sel === undefined) return () => false;
  return requirementsMatcher(objectRequirements(sel, true));
}

function requirementString({ key, operator, values }: LabelRequirement): string {
  if (operator === 'exists') return key;
  if (operator === '!') return `!${key}`;
  const vals = values.length > 1 ? [...values].sort().join(',') : (values[0] ?? '');
  switch (operator) {
    case 'in':
      return `${key} in (${vals})`;
    case 'notin':
      return `${key} notin (${vals})`;
    case 'gt':
      return `${key}>${vals}`;
    case 'lt':
      return `${key}<${vals}`;
    default:
      return `${key}${operator}${vals}`;
  }
}

/**
 * Renders a LabelSelector object in the string form kube uses for a scale
 * subresource's `status.selector`: requirements sorted by key, e.g.
 * `app=web,tier in (a,b)`. Does not validate: it describes stored objects.
 */
export function selectorToString(sel: LabelSelector | null | undefined): string {
  if (!sel) return '';
  return objectRequirements(sel, false).map(requirementString).join(',');
}

/** Renders parsed requirements back to the string syntax. */
export function requirementsToString(reqs: readonly LabelRequirement[]): string {
  return reqs.map(requirementString).join(',');
}
