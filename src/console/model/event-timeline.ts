// Events as a timeline: newest first, filtered by what they are about. The
// namespace filter is the list itself (the page watches one namespace or
// all); the object filter matches `kind/name` or a part of it.

import type { KObject } from '../../api/object.js';
import { eventTime, involvedObject } from './pods.js';

export interface TimelineEntry {
  key: string;
  time: string;
  type: string;
  reason: string;
  namespace: string;
  /** `Kind/name` of the object the event is about. */
  object: string;
  message: string;
  count: number;
  source: string;
}

export interface TimelineFilter {
  /** Case-insensitive substring of `Kind/name`. */
  object?: string;
  /** `Normal` or `Warning`; empty for both. */
  type?: string;
}

const s = (v: unknown): string => (typeof v === 'string' ? v : '');

export function timelineEntry(ev: KObject): TimelineEntry {
  const e = ev as Record<string, unknown>;
  const io = involvedObject(ev);
  const src = (typeof e.source === 'object' && e.source !== null ? e.source : {}) as { component?: string; host?: string };
  return {
    key: `${ev.metadata.namespace ?? ''}/${ev.metadata.name ?? ''}`,
    time: eventTime(ev),
    type: s(e.type) || 'Normal',
    reason: s(e.reason),
    namespace: ev.metadata.namespace ?? '',
    object: `${io.kind ?? ''}/${io.name ?? ''}`,
    message: s(e.message).trim(),
    count: typeof e.count === 'number' ? e.count : 1,
    source: [src.component ?? s(e.reportingComponent), src.host].filter(Boolean).join(', '),
  };
}

export function timeline(events: readonly KObject[], filter: TimelineFilter = {}, limit = 500): TimelineEntry[] {
  const needle = filter.object?.trim().toLowerCase() ?? '';
  return events
    .map(timelineEntry)
    .filter((t) => (!needle || t.object.toLowerCase().includes(needle)) && (!filter.type || t.type === filter.type))
    .sort((a, b) => (a.time === b.time ? b.key.localeCompare(a.key) : a.time < b.time ? 1 : -1))
    .slice(0, limit);
}
