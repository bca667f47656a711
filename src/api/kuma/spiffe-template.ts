// The SPIFFE ID templates of MeshIdentity (`{{ .Mesh }}.{{ .Zone }}.mesh.local`,
// `/workload/{{ .Workload }}`): the small subset of Go's text/template Kuma
// users write, parsed once and rendered per dataplane. Anything outside the
// subset is a parse error, so a template that validates always renders.
// Error texts follow Go's (`template: :1: unclosed action`) because Kuma
// users see those for the same mistakes.

import { WORKLOAD_LABEL } from './labels.js';

export type SpiffeVariable = 'Mesh' | 'Zone' | 'TrustDomain' | 'Namespace' | 'ServiceAccount' | 'Workload';

/** Variables a trust-domain template may use. */
export const TRUST_DOMAIN_VARIABLES: readonly SpiffeVariable[] = ['Mesh', 'Zone'];
/** Variables a path template may use. */
export const PATH_VARIABLES: readonly SpiffeVariable[] = ['TrustDomain', 'Namespace', 'ServiceAccount', 'Workload'];
const ALL_VARIABLES: readonly SpiffeVariable[] = [...TRUST_DOMAIN_VARIABLES, ...PATH_VARIABLES];

export const DEFAULT_TRUST_DOMAIN_TEMPLATE = '{{ .Mesh }}.{{ .Zone }}.mesh.local';
/** Default path of dataplanes registered directly (`workplane dp run`). */
export const DEFAULT_PATH_TEMPLATE = '/workload/{{ .Workload }}';
/** Default path of pods' dataplanes. */
export const DEFAULT_POD_PATH_TEMPLATE = '/ns/{{ .Namespace }}/sa/{{ .ServiceAccount }}';

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'var'; name: SpiffeVariable } | { kind: 'label'; key: string };

export interface SpiffeTemplate {
  source: string;
  parts: TemplatePart[];
}

export class SpiffeTemplateError extends Error {}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue', 'nil', 'true', 'false']);
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isIdentStart = (c: string | undefined) => c !== undefined && /[A-Za-z_]/.test(c);

type Token = { t: 'field' | 'ident' | 'string' | 'other'; v: string };

/** Parses `text`; `allowed` narrows the variables (trust domain vs path). Throws SpiffeTemplateError. */
export function parseSpiffeTemplate(text: string, allowed: readonly SpiffeVariable[] = ALL_VARIABLES): SpiffeTemplate {
  const parts: TemplatePart[] = [];
  let pendingText = '';
  let i = 0;
  const fail = (at: number, msg: string): never => {
    const line = text.slice(0, at).split('\n').length;
    throw new SpiffeTemplateError(`template: :${line}: ${msg}`);
  };
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      pendingText += text.slice(i);
      break;
    }
    pendingText += text.slice(i, open);
    let k = open + 2;
    if (text[k] === '-' && isSpace(text[k + 1])) {
      pendingText = pendingText.replace(/[ \t\r\n]+$/, '');
      k++;
    }
    if (pendingText) parts.push({ kind: 'text', text: pendingText });
    pendingText = '';
    const tokens: Token[] = [];
    let trimAfter = false;
    if (text.startsWith('/*', k)) {
      const end = text.indexOf('*/', k + 2);
      if (end < 0) fail(open, 'unclosed comment');
      k = end + 2;
      if (text.startsWith(' -}}', k)) {
        trimAfter = true;
        k += 4;
      } else if (text.startsWith('}}', k)) k += 2;
      else fail(open, 'comment ends before closing delimiter');
    } else {
      for (;;) {
        while (isSpace(text[k])) k++;
        if (k >= text.length) fail(open, 'unclosed action');
        if (text.startsWith('-}}', k) && isSpace(text[k - 1])) {
          trimAfter = true;
          k += 3;
          break;
        }
        if (text.startsWith('}}', k)) {
          k += 2;
          break;
        }
        k = lexToken(text, k, tokens, (msg) => fail(open, msg));
      }
      parts.push(command(tokens, allowed, (msg) => fail(open, msg)));
    }
    i = k;
    if (trimAfter) while (isSpace(text[i])) i++;
  }
  if (pendingText) parts.push({ kind: 'text', text: pendingText });
  return { source: text, parts };
}

// Reads one token at `k` into `out`; returns the index after it.
function lexToken(text: string, k: number, out: Token[], fail: (msg: string) => never): number {
  const c = text[k];
  if (c === '"') {
    let j = k + 1;
    while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
    if (text[j] !== '"') fail('unterminated quoted string');
    try {
      out.push({ t: 'string', v: JSON.parse(text.slice(k, j + 1)) as string });
    } catch {
      fail(`invalid syntax in quoted string ${text.slice(k, j + 1)}`);
    }
    return j + 1;
  }
  if (c === '`') {
    const j = text.indexOf('`', k + 1);
    if (j < 0) fail('unterminated raw quoted string');
    out.push({ t: 'string', v: text.slice(k + 1, j) });
    return j + 1;
  }
  const m = /^(?:\.?[A-Za-z_]\w*)+/.exec(text.slice(k));
  if (m && (c === '.' || isIdentStart(c))) {
    out.push({ t: c === '.' ? 'field' : 'ident', v: m[0] });
    return k + m[0].length;
  }
  const word = /^[^ \t\r\n}]+/.exec(text.slice(k))?.[0] ?? c;
  out.push({ t: 'other', v: word });
  return k + word.length;
}

// One action's tokens as a template part: a lone field or `label "key"`.
function command(tokens: Token[], allowed: readonly SpiffeVariable[], fail: (msg: string) => never): TemplatePart {
  if (tokens.length === 0) fail('missing value for command');
  const pipe = tokens.find((t) => t.t === 'other' && t.v.startsWith('|'));
  if (pipe) fail('pipelines ("|") are not supported');
  const [head, ...args] = tokens;
  if (head.t === 'field') {
    if (args.length > 0) fail(`can't give argument to non-function ${head.v}`);
    const path = head.v.slice(1).split('.');
    if (path.length > 1) fail(`can't evaluate field ${path[1]} of ${'.' + path[0]}: template variables are strings`);
    const name = path[0] as SpiffeVariable;
    if (!allowed.includes(name)) fail(`can't evaluate field ${path[0]} (available: ${allowed.map((v) => '.' + v).join(', ')})`);
    return { kind: 'var', name };
  }
  if (head.t === 'ident') {
    if (KEYWORDS.has(head.v)) fail(`unsupported action "${head.v}"`);
    if (head.v !== 'label') fail(`function "${head.v}" not defined`);
    if (args.length !== 1) fail(`wrong number of args for label: want 1 got ${args.length}`);
    if (args[0].t !== 'string') fail(`label wants a quoted label key, got ${args[0].v}`);
    return { kind: 'label', key: args[0].v };
  }
  if (head.t === 'string') fail(`unsupported constant ${JSON.stringify(head.v)}: write text outside {{ }}`);
  return fail(`unexpected "${head.v}" in command`);
}

const asTemplate = (t: string | SpiffeTemplate) => (typeof t === 'string' ? parseSpiffeTemplate(t) : t);

/**
 * Renders a template. Variables that are undefined and labels that are absent
 * are errors (`label "app" not found`): an identity must never be issued with
 * a hole in it. Empty strings render as they are.
 */
export function renderSpiffeTemplate(
  tmpl: string | SpiffeTemplate,
  vars: Partial<Record<SpiffeVariable, string>>,
  labels: Record<string, string> = {},
): string {
  let out = '';
  for (const p of asTemplate(tmpl).parts) {
    if (p.kind === 'text') out += p.text;
    else if (p.kind === 'var') {
      const v = vars[p.name];
      if (v === undefined) throw new SpiffeTemplateError(`no value for .${p.name}`);
      out += v;
    } else {
      if (!Object.prototype.hasOwnProperty.call(labels, p.key)) throw new SpiffeTemplateError(`label "${p.key}" not found`);
      out += labels[p.key];
    }
  }
  return out;
}

/** Whether the template needs the dataplane's workload: `.Workload` or `label "kuma.io/workload"`. */
export function templateUsesWorkload(tmpl: string | SpiffeTemplate): boolean {
  let t: SpiffeTemplate;
  try {
    t = asTemplate(tmpl);
  } catch {
    return false;
  }
  return t.parts.some((p) => (p.kind === 'var' && p.name === 'Workload') || (p.kind === 'label' && p.key === WORKLOAD_LABEL));
}
