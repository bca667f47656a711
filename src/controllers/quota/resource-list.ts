// Resource lists as quota arithmetic needs them: exact amounts (bigint
// nano-units, so `0.1 + 0.2` cores is 300m exactly) that remember the
// notation they came in, so `128Mi + 128Mi` prints `256Mi` and `100m + 400m`
// prints `500m`, as kube renders quota usage.

import { isPlainObject } from '../../api/object.js';
import { parseQuantityExact, quantityToString, type QuantityFormat } from '../../api/quantity.js';

export interface Amount {
  nano: bigint;
  format: QuantityFormat;
}

export type ResourceList = Map<string, Amount>;

const NANO_EXP = 9;

export function parseAmount(text: unknown): Amount | undefined {
  try {
    const q = parseQuantityExact(String(text));
    // Parsed quantities are rounded to nano-units, so the exponent is at least -9.
    return { nano: q.mantissa * 10n ** BigInt(q.exponent + NANO_EXP), format: q.format };
  } catch {
    return undefined;
  }
}

export const formatAmount = (a: Amount | undefined): string =>
  a ? quantityToString({ mantissa: a.nano, exponent: -NANO_EXP, format: a.format }) : '0';

/** A zero amount takes the other's notation, as kube's Quantity.Add does. */
export function addAmount(a: Amount | undefined, b: Amount): Amount {
  if (!a) return { ...b };
  return { nano: a.nano + b.nano, format: a.nano === 0n ? b.format : a.format };
}

export function addInto(sum: ResourceList, part: ResourceList): ResourceList {
  for (const [k, v] of part) sum.set(k, addAmount(sum.get(k), v));
  return sum;
}

/** A `{name: quantity}` object (spec.hard, container requests) as a list; unparseable entries are skipped. */
export function fromObject(v: unknown): ResourceList {
  const out: ResourceList = new Map();
  if (!isPlainObject(v)) return out;
  for (const [k, raw] of Object.entries(v)) {
    const a = parseAmount(raw);
    if (a) out.set(k, a);
  }
  return out;
}

export function toObject(list: ResourceList, names: Iterable<string> = list.keys()): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) out[n] = formatAmount(list.get(n));
  return out;
}

/** `requests.cpu=500m,requests.memory=1Gi`: sorted, as kube prints lists in quota errors. */
export function prettyPrint(list: ResourceList, names: readonly string[]): string {
  return [...names].sort().map((n) => `${n}=${formatAmount(list.get(n))}`).join(',');
}

export const count = (n: number): Amount => ({ nano: BigInt(n) * 10n ** BigInt(NANO_EXP), format: 'DecimalSI' });
