// Event (core/v1): a report about an object (scheduling failures, pulls,
// restarts). Repeats are folded into one event by bumping `count`, so events
// stay writable. `kubectl describe` finds them by involvedObject fields.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../definition.js';
import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { int32, microTime, opt, str, time } from '../schemas/index.js';
import { ObjectReferenceSchema } from '../schemas/references.js';
import { invalidEach } from '../validation/field.js';
import { isDNS1123Subdomain, isQualifiedName } from '../validation/names.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});
const s = (v: unknown): string => (typeof v === 'string' ? v : '');

const EventSeriesSchema = Type.Object(
  {
    count: opt(int32('Occurrences in the series so far.')),
    lastObservedTime: opt(microTime('When the last occurrence was seen.')),
  },
  { description: 'A series of repeated occurrences of this event.' },
);

const EventSchema = Type.Object(
  {
    involvedObject: opt(ObjectReferenceSchema),
    reason: opt(str('Short CamelCase reason (e.g. `FailedScheduling`).')),
    message: opt(str('Human-readable description.')),
    source: opt(
      Type.Object(
        { component: opt(str('Component that reported the event.')), host: opt(str('Node the reporter runs on.')) },
        { description: 'Who reported the event.' },
      ),
    ),
    firstTimestamp: opt(time('When the event was first recorded.')),
    lastTimestamp: opt(time('When the most recent occurrence was recorded.')),
    count: opt(int32('How many times the event occurred.')),
    type: opt(str('`Normal` or `Warning`.')),
    eventTime: opt(microTime('When the event first happened (newer reporters).')),
    series: opt(EventSeriesSchema),
    action: opt(str('What was done, or failed, about the object.')),
    related: opt(ObjectReferenceSchema),
    reportingComponent: opt(str('Controller that emitted the event (e.g. `workplane.dev/scheduler`).')),
    reportingInstance: opt(str('Instance of the reporting controller.')),
  },
  { description: 'An event about an object.' },
);

const firstNonEmpty = (...v: string[]) => v.find((x) => x !== '') ?? '';

/** LAST SEEN: series time, else lastTimestamp, else first seen. */
export function eventLastSeen(ev: KObject): string | undefined {
  const series = obj(ev.series);
  if (s(series.lastObservedTime)) return s(series.lastObservedTime);
  return s(ev.lastTimestamp) || eventFirstSeen(ev);
}

export const eventFirstSeen = (ev: KObject): string | undefined => s(ev.firstTimestamp) || s(ev.eventTime) || undefined;

/** OBJECT: `pod/web-1` (kind lowercased), or the kind alone when the event is about a kind. */
export function eventObjectCell(ev: KObject): string {
  const io = obj(ev.involvedObject);
  const kind = s(io.kind).toLowerCase();
  return s(io.name) ? `${kind}/${s(io.name)}` : kind;
}

/** SOURCE: `component, host`. */
export function eventSourceCell(ev: KObject): string {
  const src = obj(ev.source);
  const component = firstNonEmpty(s(src.component), s(ev.reportingComponent));
  const host = firstNonEmpty(s(src.host), s(ev.reportingInstance));
  return host ? `${component}, ${host}` : component;
}

export function eventCount(ev: KObject): number {
  const series = obj(ev.series);
  if (isPlainObject(ev.series)) return typeof series.count === 'number' ? series.count : 0;
  return typeof ev.count === 'number' && ev.count !== 0 ? ev.count : 1;
}

const LIMITS = { reportingInstance: 128, action: 128, reason: 128, message: 4 * 1024 } as const;

/** kube's legacy event checks: the namespaces must agree; newer events need reporting fields. */
export function validateEvent(ev: KObject): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? '';
  const io = obj(ev.involvedObject);
  const ioNs = s(io.namespace);
  const mismatch = () => errs.push(fieldError.invalid('involvedObject.namespace', ioNs, 'does not match event.namespace'));
  if (!s(ev.eventTime)) {
    if (ioNs === '' ? ns !== '' && ns !== 'default' : ns !== ioNs) mismatch();
  } else {
    if (ioNs === '' && ns !== 'default' && ns !== 'kube-system') mismatch();
    const rc = s(ev.reportingComponent);
    if (!rc) errs.push(fieldError.required('reportingComponent'));
    errs.push(...invalidEach('reportingComponent', rc, rc ? isQualifiedName(rc) : []));
    if (!s(ev.reportingInstance)) errs.push(fieldError.required('reportingInstance'));
    if (!s(ev.action)) errs.push(fieldError.required('action'));
    if (!s(ev.reason)) errs.push(fieldError.required('reason'));
    for (const [f, max] of Object.entries(LIMITS)) {
      if (s(ev[f]).length > max) errs.push(fieldError.invalid(f, '', `can have at most ${max} characters`));
    }
  }
  if (ns) errs.push(...invalidEach('namespace', ns, isDNS1123Subdomain(ns)));
  return errs;
}

const io = (f: string) => (ev: KObject) => s(obj(ev.involvedObject)[f]);

export const eventDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'Event',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  namespaced: true,
  description: 'A report of something that happened to an object.',
  schema: EventSchema,
  strategicMerge: true,
  columns: [
    { name: 'Last Seen', type: 'date', description: 'Time of the most recent occurrence.', value: eventLastSeen },
    { name: 'Type', type: 'string', description: '`Normal` or `Warning`.', jsonPath: '.type' },
    { name: 'Reason', type: 'string', description: 'Short reason for the event.', jsonPath: '.reason' },
    { name: 'Object', type: 'string', description: 'Object the event is about.', value: eventObjectCell },
    { name: 'Subobject', type: 'string', priority: 1, description: 'Part of the object the event is about.', jsonPath: '.involvedObject.fieldPath' },
    { name: 'Source', type: 'string', priority: 1, description: 'Component (and host) that reported the event.', value: eventSourceCell },
    { name: 'Message', type: 'string', description: 'Description of the event.', value: (ev) => s(ev.message).trim() },
    { name: 'First Seen', type: 'date', priority: 1, description: 'Time of the first occurrence.', value: eventFirstSeen },
    { name: 'Count', type: 'integer', priority: 1, description: 'Number of occurrences.', value: eventCount },
    { name: 'Name', type: 'string', priority: 1, format: 'name', description: 'Name of the event object.', jsonPath: '.metadata.name' },
  ],
  selectableFields: {
    'involvedObject.kind': io('kind'),
    'involvedObject.namespace': io('namespace'),
    'involvedObject.name': io('name'),
    'involvedObject.uid': io('uid'),
    'involvedObject.apiVersion': io('apiVersion'),
    'involvedObject.resourceVersion': io('resourceVersion'),
    'involvedObject.fieldPath': io('fieldPath'),
    reason: (ev) => s(ev.reason),
    reportingComponent: (ev) => s(ev.reportingComponent),
    source: (ev) => s(obj(ev.source).component) || s(ev.reportingComponent),
    type: (ev) => s(ev.type),
  },
  strategy: {
    validate: validateEvent,
    validateUpdate: (ev) => validateEvent(ev),
  },
});
