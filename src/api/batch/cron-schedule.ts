// Cron schedules as kube's CronJob reads them (robfig/cron's standard
// parser): five fields or a descriptor (`@hourly`, `@daily`...), evaluated in
// spec.timeZone. Parsing is cron-parser's; this module adds kube's rules
// (exactly five fields, no TZ= prefix) and the time-zone check.

import { CronExpressionParser } from 'cron-parser';

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** Why the schedule is not usable, or undefined when it is. */
export function scheduleError(schedule: string): string | undefined {
  const s = schedule.trim();
  if (/^(CRON_)?TZ=/.test(s)) return 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead';
  if (s.startsWith('@')) {
    if (s.startsWith('@every ')) return undefined === parseEvery(s) ? `failed to parse duration ${s}` : undefined;
    return DESCRIPTORS.has(s) ? undefined : `unrecognized descriptor: ${s}`;
  }
  const fields = s.split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`;
  try {
    CronExpressionParser.parse(s);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function parseEvery(s: string): number | undefined {
  const m = /^@every (\d+)(s|m|h)$/.exec(s);
  if (!m) return undefined;
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h'];
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Scheduled times in (after, until], oldest first, at most `limit` (kube gives up past 100 missed starts). */
export function scheduledTimes(schedule: string, timeZone: string | undefined, after: Date, until: Date, limit = 101): Date[] {
  const s = schedule.trim();
  const every = s.startsWith('@every ') ? parseEvery(s) : undefined;
  const out: Date[] = [];
  if (every !== undefined) {
    for (let t = after.getTime() + every; t <= until.getTime() && out.length < limit; t += every) out.push(new Date(t));
    return out;
  }
  const expr = CronExpressionParser.parse(s, { currentDate: after, tz: timeZone });
  while (out.length < limit) {
    const next = expr.next().toDate();
    if (next.getTime() > until.getTime()) break;
    out.push(next);
  }
  return out;
}

/** The first scheduled time after `after`. */
export function nextScheduledTime(schedule: string, timeZone: string | undefined, after: Date): Date {
  const s = schedule.trim();
  const every = s.startsWith('@every ') ? parseEvery(s) : undefined;
  if (every !== undefined) return new Date(after.getTime() + every);
  return CronExpressionParser.parse(s, { currentDate: after, tz: timeZone }).next().toDate();
}
