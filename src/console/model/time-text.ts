// Times as people read them beside a list: "3m ago", "in 23h".

const UNITS: [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'm'],
  [1000, 's'],
];

/** A duration in the largest whole unit (kubectl's AGE style, one unit): 90s → `1m`. */
export function shortDuration(ms: number): string {
  const a = Math.abs(ms);
  for (const [size, unit] of UNITS) if (a >= size) return `${Math.floor(a / size)}${unit}`;
  return '0s';
}

/** `5m ago` for a past time, `in 5m` for a future one, `` for none. */
export function relativeTime(iso: string | undefined, now: number): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = t - now;
  return d > 0 ? `in ${shortDuration(d)}` : `${shortDuration(d)} ago`;
}
