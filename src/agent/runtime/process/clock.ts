// Time formats the runtime reports in Kubernetes' spelling: RFC 3339 with
// nanoseconds for log records (as the CRI log format and `kubectl logs
// --timestamps` show them) and Go's duration syntax for back-off messages.

// Wall-clock origin plus the monotonic clock: timestamps within one agent
// never go backwards, so log records stay ordered even if NTP steps the clock.
const originNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Nanoseconds since the epoch. */
export function nowNanos(): bigint {
  return originNs + process.hrtime.bigint();
}

/** Go's time.RFC3339Nano: UTC, trailing zeros of the fraction dropped. */
export function rfc3339Nano(ns: bigint): string {
  const iso = new Date(Number(ns / 1_000_000n)).toISOString();
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${iso.slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

/** Seconds-precision RFC 3339, as container states carry their times. */
export function rfc3339(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Go's time.Duration.String() for whole milliseconds: `10s`, `1m20s`, `5m0s`, `50ms`. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  let rest = ms / 1000;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  const s = String(Number(rest.toFixed(3)));
  return `${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}
