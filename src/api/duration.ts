// Durations as Kubernetes writes them: Go's `1h30m` syntax (timeouts, probe
// periods) in and out, and the AGE column's short human form (`45s`, `3h2m`,
// `5d3h`), which kube-apiserver's table printers compute server-side.

const unitNs: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3, // U+00B5 micro sign
  'μs': 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

/** Parses a Go duration (`24h`, `1h30m`, `1.5s`, `-500ms`) into milliseconds; throws Go's error text. */
export function parseGoDuration(text: string): number {
  const invalid = () => new Error(`time: invalid duration "${text}"`);
  let s = text;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let ns = 0;
  let i = 0;
  while (i < s.length) {
    if (!(s[i] === '.' || isDigit(s[i]))) throw invalid();
    const intStart = i;
    while (isDigit(s[i])) i++;
    const whole = s.slice(intStart, i);
    let frac = '';
    if (s[i] === '.') {
      const fracStart = ++i;
      while (isDigit(s[i])) i++;
      frac = s.slice(fracStart, i);
    }
    if (whole === '' && frac === '') throw invalid();
    const unitStart = i;
    while (i < s.length && s[i] !== '.' && !isDigit(s[i])) i++;
    if (i === unitStart) throw new Error(`time: missing unit in duration "${text}"`);
    const unit = s.slice(unitStart, i);
    const scale = unitNs[unit];
    if (scale === undefined) throw new Error(`time: unknown unit "${unit}" in duration "${text}"`);
    ns += Number(whole || '0') * scale + (frac ? Number(`0.${frac}`) * scale : 0);
    if (!Number.isFinite(ns) || ns > 9223372036854775807) throw invalid();
  }
  return (neg ? -ns : ns) / 1e6;
}

// Digits of v below 10^prec as a fraction without trailing zeros (`.5`), or ''.
function fraction(v: bigint, prec: number): string {
  const digits = (v % 10n ** BigInt(prec)).toString().padStart(prec, '0').replace(/0+$/, '');
  return digits ? `.${digits}` : '';
}

/** Formats milliseconds as Go's Duration.String() does: `1h30m0s`, `1.5s`, `500ms`, `0s`. */
export function formatGoDuration(ms: number): string {
  const total = BigInt(Math.round(ms * 1e6));
  if (total === 0n) return '0s';
  const sign = total < 0n ? '-' : '';
  const u = total < 0n ? -total : total;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1000000n) return `${sign}${u / 1000n}${fraction(u, 3)}µs`;
  if (u < 1000000000n) return `${sign}${u / 1000000n}${fraction(u, 6)}ms`;
  const secs = u / 1000000000n;
  let out = `${secs % 60n}${fraction(u, 9)}s`;
  const mins = secs / 60n;
  if (mins > 0n) {
    out = `${mins % 60n}m${out}`;
    const hours = mins / 60n;
    if (hours > 0n) out = `${hours}h${out}`;
  }
  return sign + out;
}

/**
 * The AGE column: kube's duration.HumanDuration, about two significant
 * figures. Up to two seconds in the future counts as now (clock skew).
 */
export function formatAge(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${days}d` : `${days}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.floor(days / 365);
  if (hours < 24 * 365 * 8) {
    const dy = days % 365;
    return dy === 0 ? `${years}y` : `${years}y${dy}d`;
  }
  return `${years}y`;
}

/** Age of an RFC 3339 timestamp; `<unknown>` when absent, as kube's table printers say. */
export function ageSince(timestamp: string | undefined | null, now: number = Date.now()): string {
  const t = timestamp ? Date.parse(timestamp) : NaN;
  return Number.isNaN(t) ? '<unknown>' : formatAge(now - t);
}
