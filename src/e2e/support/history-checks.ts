// Whole-run checks on recorded watch streams: a watcher that never had to relist
// must have seen every acknowledged write, and two such watchers must have seen
// the very same history from the point where both were watching.

import type { AckedWrite } from './crash-writer.js';
import type { ObservedEvent, WatchRecorder } from './watch-recorder.js';

const keyOf = (e: { type: string; name: string; rv: number }) => `${e.type} ${e.name}@${e.rv}`;

/** Acknowledged writes missing from a watcher's stream (only meaningful without relists). */
export function missedAckedWrites(w: WatchRecorder, acked: AckedWrite[]): string[] {
  if (w.relists > 0) return [];
  const seen = new Set(w.events.map(keyOf));
  const deleted = new Set(w.events.filter((e) => e.type === 'DELETED').map((e) => e.name));
  const out: string[] = [];
  for (const a of acked) {
    if (a.rv <= w.startRv && a.type !== 'DELETED') continue;
    const ok = a.type === 'DELETED' ? deleted.has(a.name) : seen.has(keyOf(a));
    if (!ok) out.push(`${w.label}: never saw acknowledged ${keyOf(a)}`);
  }
  return out;
}

/** Differences between two watchers' streams after the later of their starting points. */
export function streamDifferences(a: WatchRecorder, b: WatchRecorder, include: (name: string) => boolean): string[] {
  if (a.relists > 0 || b.relists > 0) return [];
  const from = Math.max(a.startRv, b.startRv);
  const pick = (w: WatchRecorder) => w.events.filter((e: ObservedEvent) => e.rv > from && include(e.name)).map(keyOf);
  const ea = pick(a);
  const eb = pick(b);
  const n = Math.max(ea.length, eb.length);
  for (let i = 0; i < n; i++) {
    if (ea[i] !== eb[i]) return [`${a.label} and ${b.label} disagree at event ${i} after rv ${from}: ${ea[i] ?? '(end)'} vs ${eb[i] ?? '(end)'}`];
  }
  return [];
}
