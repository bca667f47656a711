// One line per figure: the figure, its baseline from the same run, their
// ratio, and the goal with whether it was met, so a reader of a noisy shared
// machine compares like with like.

export interface Goal {
  /** What is compared with the goal: the ratio (default) or the figure itself. */
  on?: 'ratio' | 'value';
  atLeast?: number;
  atMost?: number;
  text: string;
}

export interface Figure {
  what: string;
  value: number;
  unit: string;
  baseline?: { value: number; what: string };
  /** How the ratio is shown: a percentage of the baseline, or a multiple of it. */
  ratio?: 'percent' | 'times';
  goal?: Goal;
  note?: string;
}

export function num(x: number, unit = ''): string {
  if (!Number.isFinite(x)) return `n/a${unit ? ` ${unit}` : ''}`;
  const digits = Math.abs(x) >= 100 ? 0 : Math.abs(x) >= 10 ? 1 : 2;
  const s = x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return unit ? `${s} ${unit}` : s;
}

export function line(f: Figure): string {
  const parts = [`${f.what.padEnd(46)} ${num(f.value, f.unit).padStart(14)}`];
  let ratio: number | undefined;
  if (f.baseline) {
    ratio = f.value / f.baseline.value;
    const r = f.ratio === 'times' ? `${num(ratio)}×` : `${num(ratio * 100)}%`;
    parts.push(`${r.padStart(7)} of ${num(f.baseline.value, f.unit)} (${f.baseline.what})`);
  }
  if (f.goal) {
    const x = f.goal.on === 'value' ? f.value : ratio;
    const met = x !== undefined && Number.isFinite(x) && (f.goal.atLeast === undefined || x >= f.goal.atLeast) && (f.goal.atMost === undefined || x <= f.goal.atMost);
    parts.push(`goal ${f.goal.text}: ${met ? 'met' : 'MISSED'}`);
  }
  if (f.note) parts.push(f.note);
  return parts.join(' | ');
}
