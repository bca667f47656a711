// Finds the timestamp fields of an object through its schema (the `time` and
// `microTime` builders mark them) and re-spells each as kube stores it. Only
// kinds defined here carry the marks, as only kube's typed fields are
// re-spelled there: a CRD's own `format: date-time` strings are kept as sent,
// while its metadata (creationTimestamp, managedFields times) is typed in both.
// Which subtrees hold a timestamp is worked out once per schema node, so a
// write only walks the parts of an object that can hold one.

import { canonicalTime, type TimePrecision } from './timestamps.js';

/** The schema keyword the builders set on timestamp strings: `seconds` (Time) or `micro` (MicroTime). */
export const TIME_KEYWORD = 'x-workplane-time';

interface Plan {
  precision?: TimePrecision;
  props?: [string, Plan][];
  values?: Plan;
  items?: Plan;
}

const plans = new WeakMap<object, Plan | null>();

function planOf(schema: unknown): Plan | null {
  if (!schema || typeof schema !== 'object') return null;
  const cached = plans.get(schema);
  if (cached !== undefined) return cached;
  plans.set(schema, null); // a schema reached again below itself holds no more timestamps than this pass finds
  const s = schema as Record<string, unknown>;
  const plan: Plan = {};
  const mark = s[TIME_KEYWORD];
  if (mark === 'seconds' || mark === 'micro') plan.precision = mark;
  if (s.properties && typeof s.properties === 'object') {
    for (const [key, child] of Object.entries(s.properties as Record<string, unknown>)) {
      const p = planOf(child);
      if (p) (plan.props ??= []).push([key, p]);
    }
  }
  const values = planOf(s.additionalProperties);
  if (values) plan.values = values;
  const items = planOf(s.items);
  if (items) plan.items = items;
  const found = plan.precision || plan.props || plan.values || plan.items ? plan : null;
  plans.set(schema, found);
  return found;
}

/**
 * Re-spells, in place, every timestamp of `value` that `schema` marks.
 * Returns Go's parse error for the first one that does not parse (nothing is
 * half-changed that matters: the caller refuses the whole write).
 */
export function canonicalizeTimes(value: unknown, schema: unknown): string | undefined {
  const plan = planOf(schema);
  return plan ? walk(value, plan) : undefined;
}

function walk(value: unknown, plan: Plan): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    if (!plan.items) return undefined;
    for (let i = 0; i < value.length; i++) {
      const err = visit(value as unknown as Record<number, unknown>, i, plan.items);
      if (err) return err;
    }
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  for (const [key, p] of plan.props ?? []) {
    if (!Object.hasOwn(obj, key)) continue;
    const err = visit(obj, key, p);
    if (err) return err;
  }
  if (plan.values) {
    const named = new Set((plan.props ?? []).map(([k]) => k));
    for (const key of Object.keys(obj)) {
      if (named.has(key)) continue;
      const err = visit(obj, key, plan.values);
      if (err) return err;
    }
  }
  return undefined;
}

function visit(holder: Record<string | number, unknown>, key: string | number, plan: Plan): string | undefined {
  const v = holder[key];
  if (plan.precision && typeof v === 'string') {
    try {
      holder[key] = canonicalTime(v, plan.precision);
    } catch (e) {
      return (e as Error).message;
    }
    return undefined;
  }
  return walk(v, plan);
}
