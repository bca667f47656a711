// The NodeAffinity filter's input, compiled once per pod: `nodeSelector`
// labels AND the required node affinity terms (terms OR'ed, expressions in a
// term AND'ed; an empty term matches nothing, as in kube).

import { isPlainObject } from '../api/object.js';

export type NodeMatcher = (labels: Readonly<Record<string, string>>, nodeName: string) => boolean;

type Obj = Record<string, unknown>;
type Expr = { key: string; operator: string; values: string[] };

const exprs = (v: unknown): Expr[] =>
  (Array.isArray(v) ? v.filter(isPlainObject) : []).map((e) => ({
    key: typeof e.key === 'string' ? e.key : '',
    operator: typeof e.operator === 'string' ? e.operator : '',
    values: Array.isArray(e.values) ? e.values.map(String) : [],
  }));

function matchExpr(e: Expr, value: string | undefined): boolean {
  switch (e.operator) {
    case 'In':
      return value !== undefined && e.values.includes(value);
    case 'NotIn':
      return value === undefined || !e.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      if (value === undefined || e.values.length !== 1) return false;
      const have = Number.parseInt(value, 10);
      const want = Number.parseInt(e.values[0], 10);
      if (Number.isNaN(have) || Number.isNaN(want)) return false;
      return e.operator === 'Gt' ? have > want : have < want;
    }
    default:
      return false;
  }
}

function compileTerm(term: Obj): NodeMatcher {
  const labels = exprs(term.matchExpressions);
  const fields = exprs(term.matchFields).filter((f) => f.key === 'metadata.name');
  if (labels.length === 0 && fields.length === 0) return () => false;
  return (l, name) => labels.every((e) => matchExpr(e, Object.hasOwn(l, e.key) ? l[e.key] : undefined)) && fields.every((f) => matchExpr(f, name));
}

function requiredTerms(spec: Obj): Obj[] | undefined {
  const na = isPlainObject(spec.affinity) && isPlainObject(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : undefined;
  const req = na && isPlainObject(na.requiredDuringSchedulingIgnoredDuringExecution) ? na.requiredDuringSchedulingIgnoredDuringExecution : undefined;
  if (!req) return undefined;
  return Array.isArray(req.nodeSelectorTerms) ? req.nodeSelectorTerms.filter(isPlainObject) : [];
}

/** Undefined when the pod takes any node, so the filter can skip the check entirely. */
export function compileNodeAffinity(spec: Obj): NodeMatcher | undefined {
  const selector = isPlainObject(spec.nodeSelector) ? Object.entries(spec.nodeSelector).map(([k, v]) => [k, String(v)] as const) : [];
  const terms = requiredTerms(spec)?.map(compileTerm);
  if (selector.length === 0 && terms === undefined) return undefined;
  return (labels, name) => {
    for (const [k, v] of selector) if (labels[k] !== v) return false;
    return terms === undefined || terms.some((t) => t(labels, name));
  };
}
