// Kubernetes resource quantities (`100m`, `1.5`, `128Mi`, `1e3`): parsing into
// numbers for scheduling arithmetic and rendering in kube's canonical form.
// Values are held as an exact decimal (bigint mantissa, power-of-ten exponent)
// so `0.3` cores is 300m and never 300.00000000000006m.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export interface Quantity {
  /** value = mantissa * 10^exponent */
  mantissa: bigint;
  exponent: number;
  /** The suffix family the text used; canonical rendering keeps it, as kube does. */
  format: QuantityFormat;
}

const formatWrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const suffixWrong = "unable to parse quantity's suffix";

const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalByExponent = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binaryNames = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

const shape = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const pow10 = (n: number) => 10n ** BigInt(n);

// kube rounds anything finer than a nano-unit up (away from zero): asking for
// a sliver of a resource should still get some.
function roundToNano(mantissa: bigint, exponent: number): [bigint, number] {
  if (exponent >= -9) return [mantissa, exponent];
  const d = pow10(-9 - exponent);
  let q = mantissa / d;
  if (q * d !== mantissa) q += mantissa < 0n ? -1n : 1n;
  return [q, -9];
}

/** Parses a quantity string exactly; throws an Error with kube's message when malformed. */
export function parseQuantityExact(text: string): Quantity {
  const m = shape.exec(text);
  if (!m || (m[2] === '' && !m[3])) throw new Error(formatWrong);
  const [, sign, whole, frac = '', suffix] = m;
  let mantissa = BigInt((whole || '0') + frac);
  let exponent = -frac.length;
  let format: QuantityFormat;
  if (suffix in decimalSuffixes) {
    format = 'DecimalSI';
    exponent += decimalSuffixes[suffix];
  } else if (suffix in binarySuffixes) {
    format = 'BinarySI';
    mantissa <<= BigInt(binarySuffixes[suffix]);
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    format = 'DecimalExponent';
    exponent += Number(suffix.slice(1));
  } else {
    throw new Error(/^[eEinumkKMGTP]*[-+]?[0-9]*$/.test(suffix) ? suffixWrong : formatWrong);
  }
  // Guards the bigint arithmetic against inputs such as `1e999999999`.
  if (Math.abs(exponent) > 1000) throw new Error(formatWrong);
  if (sign === '-') mantissa = -mantissa;
  [mantissa, exponent] = roundToNano(mantissa, exponent);
  // Binary quantities below one unit only make sense as decimals (kube does the same).
  if (format === 'BinarySI' && mantissa !== 0n && abs(mantissa) < pow10(Math.max(0, -exponent))) format = 'DecimalSI';
  return { mantissa, exponent, format };
}

const abs = (n: bigint) => (n < 0n ? -n : n);

/** The value in base units (cores, bytes, ...); fractional values allowed. */
export function parseQuantity(text: string): number {
  const q = parseQuantityExact(text);
  return Number(`${q.mantissa}e${q.exponent}`);
}

/** The value in thousandths, rounded up as kube's MilliValue does. */
export function parseMilli(text: string): number {
  const q = parseQuantityExact(text);
  return Number(scaleUp(q.mantissa, q.exponent + 3));
}

// mantissa * 10^exponent as an integer, rounding any fraction away from zero.
function scaleUp(mantissa: bigint, exponent: number): bigint {
  if (exponent >= 0) return mantissa * pow10(exponent);
  const d = pow10(-exponent);
  const q = mantissa / d;
  return q * d === mantissa ? q : q + (mantissa < 0n ? -1n : 1n);
}

function stripZeros(mantissa: bigint, exponent: number): [bigint, number] {
  if (mantissa === 0n) return [0n, 0];
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  return [mantissa, exponent];
}

function decimalString(mantissa: bigint, exponent: number, format: QuantityFormat): string {
  [mantissa, exponent] = stripZeros(mantissa, exponent);
  // Suffixes step in thousands, so the exponent moves down to a multiple of 3.
  const r = ((exponent % 3) + 3) % 3;
  mantissa *= pow10(r);
  exponent -= r;
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  const suffix = decimalByExponent.get(exponent);
  return suffix !== undefined ? `${mantissa}${suffix}` : `${mantissa}e${exponent}`;
}

/** kube's canonical text for a parsed quantity (`1.5Gi` → `1536Mi`, `0.5` → `500m`). */
export function quantityToString(q: Quantity): string {
  const [mantissa, exponent] = stripZeros(q.mantissa, q.exponent);
  if (mantissa === 0n) return '0';
  if (q.format === 'BinarySI' && exponent >= 0) {
    let value = mantissa * pow10(exponent);
    // Binary form only for whole values of at least 1024; smaller ones read better in decimal.
    if (abs(value) >= 1024n) {
      let k = 0;
      while (k < binaryNames.length - 1 && value % 1024n === 0n) {
        value /= 1024n;
        k++;
      }
      return `${value}${binaryNames[k]}`;
    }
  }
  return decimalString(mantissa, exponent, q.format === 'BinarySI' ? 'DecimalSI' : q.format);
}

/** Re-renders a quantity string in canonical form, e.g. for storing resource requests. */
export function canonicalQuantity(text: string): string {
  return quantityToString(parseQuantityExact(text));
}

function fromNumber(n: number): [bigint, number] {
  if (!Number.isFinite(n)) throw new Error(`cannot express ${n} as a quantity`);
  // The shortest round-tripping decimal for n, e.g. 0.1 → "0.1", 1e-7 → "1e-7".
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(n));
  if (!m) throw new Error(`cannot express ${n} as a quantity`);
  const [, sign, whole, frac = '', exp = '0'] = m;
  let mantissa = BigInt(whole + frac);
  let exponent = Number(exp) - frac.length;
  // Digits below a nano-unit are float noise (0.1 + 0.2), so round to nearest here.
  if (exponent < -9) {
    const d = pow10(-9 - exponent);
    mantissa = (mantissa + d / 2n) / d;
    exponent = -9;
  }
  return [sign ? -mantissa : mantissa, exponent];
}

/**
 * Renders a number of base units canonically: `cpu` in decimal SI (1.5 →
 * `1500m`, 2 → `2`), `bytes` in binary SI where exact (1073741824 → `1Gi`),
 * `plain` as bare decimal digits (counts such as pods: 110 → `110`). Digits
 * below a nano-unit are rounded to nearest, so 0.1 + 0.2 cores is `300m`.
 */
export function formatQuantity(n: number, kind: 'cpu' | 'bytes' | 'plain'): string {
  const [mantissa, exponent] = fromNumber(n);
  if (kind === 'plain') return plainDecimal(mantissa, exponent);
  return quantityToString({ mantissa, exponent, format: kind === 'bytes' ? 'BinarySI' : 'DecimalSI' });
}

/** Renders thousandths of a unit (cpu millicores): 1500 → `1500m`, 2000 → `2`. */
export function formatMilli(milli: number): string {
  if (!Number.isInteger(milli)) throw new Error(`milli value must be an integer, got ${milli}`);
  return quantityToString({ mantissa: BigInt(milli), exponent: -3, format: 'DecimalSI' });
}

function plainDecimal(mantissa: bigint, exponent: number): string {
  [mantissa, exponent] = stripZeros(mantissa, exponent);
  const neg = mantissa < 0n;
  let digits = abs(mantissa).toString();
  if (exponent >= 0) digits += '0'.repeat(exponent);
  else {
    digits = digits.padStart(-exponent + 1, '0');
    digits = `${digits.slice(0, exponent)}.${digits.slice(exponent)}`;
  }
  return neg ? `-${digits}` : digits;
}
