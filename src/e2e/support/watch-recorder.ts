// A checking watcher: list, then watch from the list's resourceVersion, resume
// from the last resourceVersion seen whenever the connection breaks, and relist
// only on 410 Expired. Every event is recorded and checked as it arrives:
// resourceVersions strictly increase, ADDED/MODIFIED/DELETED agree with the
// watcher's own view of the objects, and each tracked object's counter
// (`data.n`) moves by exactly one per MODIFIED event.

import { KubeHttp, isTransportError, sleep } from './kube-http.js';
import { openWatch, type RawWatchEvent, type WatchConnection, type WatchTarget } from './watch-stream.js';

export interface ObservedEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  name: string;
  rv: number;
  n?: number;
  /** Increments at every relist; counter continuity is only checked within one segment. */
  segment: number;
}

export interface ViewEntry {
  rv: number;
  n?: number;
}

interface ListedObject {
  metadata: { name: string; resourceVersion: string };
  data?: Record<string, string>;
}

const counterOf = (data: Record<string, string> | undefined): number | undefined => (data?.n === undefined ? undefined : Number(data.n));

export class WatchRecorder {
  readonly events: ObservedEvent[] = [];
  readonly violations: string[] = [];
  /** ERROR events other than 410 and unexpected HTTP answers: not wrong in themselves, but reported. */
  readonly notes: string[] = [];
  readonly view = new Map<string, ViewEntry>();
  /** The resourceVersion of the first list; events start after it. */
  startRv = 0;
  relists = 0;
  reconnects = 0;
  bookmarks = 0;
  private lastRv = 0;
  private segment = 0;
  private stopped = false;
  private conn?: WatchConnection;
  private loop?: Promise<void>;
  private readonly http: KubeHttp;

  constructor(
    readonly label: string,
    private readonly target: WatchTarget,
    private readonly path: string,
    /** Objects whose `data.n` follows the test's counter protocol. */
    private readonly tracked: (name: string) => boolean,
  ) {
    this.http = new KubeHttp({ ...target, keepAlive: false });
  }

  /** Lists (so the view starts from a known state) and starts watching in the background. */
  async start(): Promise<void> {
    await this.relist();
    this.relists = 0;
    this.startRv = this.lastRv;
    this.resume();
  }

  /** Disconnects but keeps the state, as a client that goes away for a while. */
  async suspend(): Promise<void> {
    this.stopped = true;
    this.conn?.close();
    await this.loop;
  }

  /** Reconnects from the last resourceVersion seen. */
  resume(): void {
    this.stopped = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    await this.suspend();
    this.http.close();
  }

  get resourceVersion(): number {
    return this.lastRv;
  }

  private async run(): Promise<void> {
    let needList = false;
    while (!this.stopped) {
      if (needList) {
        try {
          await this.relist();
          needList = false;
        } catch (e) {
          if (!isTransportError(e)) this.notes.push(`${this.label}: relist failed: ${(e as Error).message}`);
          await sleep(100);
          continue;
        }
      }
      const conn = openWatch(this.target, this.path, { resourceVersion: String(this.lastRv), allowWatchBookmarks: 'true' }, (ev) => {
        if (this.accept(ev) === 'expired') needList = true;
      });
      this.conn = conn;
      const end = await conn.ended;
      if (this.stopped) break;
      this.reconnects++;
      if (end.kind === 'http' && end.status === 410) needList = true;
      else if (end.kind === 'http') this.notes.push(`${this.label}: watch from ${this.lastRv} answered ${end.status}: ${end.body.slice(0, 300)}`);
      else if (end.kind === 'invalid') this.violations.push(`${this.label}: watch sent a line that is not JSON: ${end.line.slice(0, 300)}`);
      // Back off only when the server is away; a cleanly closed watch resumes at once.
      if (end.kind !== 'closed') await sleep(100);
    }
  }

  private async relist(): Promise<void> {
    const list = (await this.http.ok('GET', this.path)) as { metadata: { resourceVersion: string }; items: ListedObject[] };
    const rv = Number(list.metadata.resourceVersion);
    if (!(rv >= this.lastRv)) this.violations.push(`${this.label}: relist returned resourceVersion ${rv}, older than ${this.lastRv} already seen`);
    this.view.clear();
    for (const o of list.items) this.view.set(o.metadata.name, { rv: Number(o.metadata.resourceVersion), n: counterOf(o.data) });
    this.lastRv = rv;
    this.segment++;
    this.relists++;
  }

  /** Records and checks one event; 'expired' asks the caller to relist. */
  accept(ev: RawWatchEvent): 'expired' | undefined {
    const o = ev.object;
    if (ev.type === 'ERROR') {
      if (o.code === 410) return 'expired';
      this.notes.push(`${this.label}: ERROR event after ${this.lastRv}: ${JSON.stringify(o).slice(0, 300)}`);
      return undefined;
    }
    const rv = Number(o.metadata?.resourceVersion);
    if (ev.type === 'BOOKMARK') {
      this.bookmarks++;
      if (!(rv >= this.lastRv)) this.violations.push(`${this.label}: BOOKMARK at ${rv} after an event at ${this.lastRv}`);
      else this.lastRv = rv;
      return undefined;
    }
    if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') {
      this.violations.push(`${this.label}: unknown event type ${ev.type}`);
      return undefined;
    }
    const name = o.metadata?.name ?? '';
    const n = counterOf(o.data);
    const where = `${this.label}: ${ev.type} ${name}@${rv} (n=${n})`;
    if (!Number.isInteger(rv) || rv <= this.lastRv) this.violations.push(`${where}: resourceVersion not above the previous ${this.lastRv} (duplicate or reordered)`);
    this.lastRv = Math.max(this.lastRv, Number.isInteger(rv) ? rv : 0);
    this.events.push({ type: ev.type, name, rv, n, segment: this.segment });
    const before = this.view.get(name);
    const counted = this.tracked(name);
    if (ev.type === 'ADDED') {
      if (before) this.violations.push(`${where}: ADDED but already present at ${before.rv}`);
      if (counted && n !== 0) this.violations.push(`${where}: created objects start at n=0`);
      this.view.set(name, { rv, n });
    } else if (ev.type === 'MODIFIED') {
      if (!before) this.violations.push(`${where}: MODIFIED but not present`);
      else if (counted && n !== (before.n ?? NaN) + 1) this.violations.push(`${where}: counter went from ${before.n} to ${n} (lost or doubled update)`);
      this.view.set(name, { rv, n });
    } else {
      if (!before) this.violations.push(`${where}: DELETED but not present`);
      else if (counted && n !== before.n) this.violations.push(`${where}: DELETED carries n=${n}, last seen n=${before.n}`);
      this.view.delete(name);
    }
    return undefined;
  }

  /** Differences between this watcher's view and a list taken after it caught up. */
  diffAgainst(items: ListedObject[], include: (name: string) => boolean): string[] {
    const out: string[] = [];
    const listed = new Map(items.filter((o) => include(o.metadata.name)).map((o) => [o.metadata.name, o]));
    for (const [name, o] of listed) {
      const seen = this.view.get(name);
      const rv = Number(o.metadata.resourceVersion);
      const n = counterOf(o.data);
      if (!seen) out.push(`${this.label}: ${name}@${rv} is listed but the watcher never saw it (or saw it deleted)`);
      else if (seen.rv !== rv || seen.n !== n) out.push(`${this.label}: ${name} listed at rv=${rv} n=${n}, watcher's last state rv=${seen.rv} n=${seen.n}`);
    }
    for (const [name, seen] of this.view) {
      if (include(name) && !listed.has(name)) out.push(`${this.label}: watcher still has ${name}@${seen.rv} (n=${seen.n}), which is not listed`);
    }
    return out;
  }

  /** Resolves once `pred` holds, or rejects after `timeoutMs` (a bound, not a timed assertion). */
  async waitFor(what: string, pred: () => boolean, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!pred()) {
      if (Date.now() > until) throw new Error(`${this.label}: gave up waiting for ${what} (last rv ${this.lastRv}, ${this.reconnects} reconnects)`);
      await sleep(20);
    }
  }
}
