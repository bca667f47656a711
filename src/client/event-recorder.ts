// Records core/v1 Events about objects, as `kubectl describe` shows them.
// Repeating an identical event (same object, type, reason, message) bumps the
// existing Event's `count` and `lastTimestamp` instead of creating another one.
// Recording never throws and never blocks the caller: writes run in the
// background, one at a time per distinct event, and failures are logged.

import { isAlreadyExists, isNotFound } from '../api/errors.js';
import { nowIso, type KObject } from '../api/object.js';
import { stderrLogger, type Logger } from './logger.js';
import type { Client, ResourceClient } from './types.js';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  /** source.component, e.g. `namespace-controller` or `kubelet`. */
  component: string;
  /** source.host (node agents set their node name). */
  host?: string;
  /** How many distinct recent events are remembered for deduplication. Default 4096. */
  cacheSize?: number;
  log?: Logger;
}

interface Entry {
  name: string;
  namespace: string;
  count: number;
  /** The count the API already has (0: not created yet). */
  written: number;
  firstTimestamp: string;
  lastTimestamp: string;
  body: KObject;
  chain: Promise<void>;
}

const EVENTS = { group: '', version: 'v1', resource: 'events' };

export class EventRecorder {
  private readonly recent = new Map<string, Entry>();
  private readonly pending = new Set<Promise<void>>();
  private readonly log: Logger;
  private events?: ResourceClient;
  private lastStamp = 0n;

  constructor(
    private readonly client: Client,
    private readonly opts: EventRecorderOptions,
  ) {
    this.log = opts.log ?? stderrLogger;
  }

  event(obj: KObject, type: EventType, reason: string, message: string): void {
    try {
      const m = obj.metadata;
      const namespace = m.namespace || 'default';
      const key = `${m.uid ?? `${obj.kind}/${namespace}/${m.name}`}\0${type}\0${reason}\0${message}`;
      const now = nowIso();
      let e = this.recent.get(key);
      if (e) {
        this.recent.delete(key); // re-inserted below: Map order is the LRU order
        e.count++;
        e.lastTimestamp = now;
      } else {
        e = this.newEntry(obj, namespace, type, reason, message, now);
        if (this.recent.size >= (this.opts.cacheSize ?? 4096)) this.recent.delete(this.recent.keys().next().value!);
      }
      this.recent.set(key, e);
      const entry = e;
      const p = (entry.chain = entry.chain.then(() => this.write(entry)));
      this.pending.add(p);
      void p.finally(() => this.pending.delete(p));
    } catch (err) {
      this.log.warn({ component: this.opts.component, reason, err }, 'dropped event');
    }
  }

  /** Resolves once every event recorded so far has been written (or dropped). */
  async flush(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private newEntry(obj: KObject, namespace: string, type: EventType, reason: string, message: string, now: string): Entry {
    const m = obj.metadata;
    const involvedObject: Record<string, unknown> = { kind: obj.kind, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion };
    if (m.namespace) involvedObject.namespace = m.namespace;
    const source: Record<string, string> = { component: this.opts.component };
    if (this.opts.host) source.host = this.opts.host;
    const name = `${m.name}.${this.stamp()}`;
    const body: KObject = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      source,
      type,
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.host ?? '',
    };
    return { name, namespace, count: 1, written: 0, firstTimestamp: now, lastTimestamp: now, body, chain: Promise.resolve() };
  }

  /** kube names events `<object>.<hex nanoseconds>`; strictly increasing within the process. */
  private stamp(): string {
    let t = BigInt(Date.now()) * 1_000_000n;
    if (t <= this.lastStamp) t = this.lastStamp + 1n;
    this.lastStamp = t;
    return t.toString(16);
  }

  /** Writes the entry's latest count; later queued writes for it find nothing left to do. */
  private async write(e: Entry): Promise<void> {
    if (e.written >= e.count) return;
    const count = e.count;
    try {
      this.events ??= this.client.resource(EVENTS);
      if (e.written > 0) {
        try {
          await this.events.patch(e.namespace, e.name, 'merge', { count, lastTimestamp: e.lastTimestamp });
          e.written = count;
          return;
        } catch (err) {
          if (!isNotFound(err)) throw err;
          // Someone deleted it (TTL, namespace cleanup): recreate with the count so far.
        }
      }
      await this.create(e, count);
      e.written = count;
    } catch (err) {
      this.log.warn({ component: this.opts.component, event: e.name, err }, 'could not write event');
    }
  }

  private async create(e: Entry, count: number): Promise<void> {
    const body = { ...e.body, count, firstTimestamp: e.firstTimestamp, lastTimestamp: e.lastTimestamp };
    try {
      await this.events!.create(e.namespace, body);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // Another process (or a recreated entry) took the name: take a fresh one.
      e.name = `${String(e.body.metadata.name).replace(/\.[0-9a-f]+$/, '')}.${this.stamp()}`;
      e.body = { ...e.body, metadata: { ...e.body.metadata, name: e.name } };
      await this.events!.create(e.namespace, { ...body, metadata: e.body.metadata });
    }
  }
}
