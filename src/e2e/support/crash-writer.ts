// One randomized writer for the crash test: creates, updates and deletes
// ConfigMaps in its own key space (names `<prefix>-<seq>`), every update a
// compare-and-swap on resourceVersion that bumps the counter `data.n`. A
// response of any kind is an outcome; a connection that breaks after the request
// may have left is "ambiguous" and the object is read back before the next write.

import type { Rng } from './prng.js';
import { type KubeHttp, type KubeResponse, isTransportError, sleep } from './kube-http.js';
import { type ObjectLedger, counterProblem, isActive, newLedger } from './object-ledger.js';

export interface WriterStats {
  creates: number;
  updates: number;
  deletes: number;
  reads: number;
  /** 2xx answers to writes. */
  acked: number;
  /** Writes with no answer or a 5xx. */
  ambiguous: number;
  /** Refused connections (server down): certainly not applied. */
  refused: number;
  /** 409 answers to writes carrying the current resourceVersion. */
  conflicts: number;
  /** Writes deliberately sent with an old resourceVersion, all expected to be refused with 409. */
  staleProbes: number;
  /** Ambiguous writes found applied / not applied when read back. */
  ambiguousApplied: number;
  ambiguousNotApplied: number;
}

const MAX_ACTIVE = 6;
/** A write the server acknowledged: every watcher that did not relist must have seen it. */
export interface AckedWrite {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  name: string;
  /** The resourceVersion the answer carried (not checked for deletes). */
  rv: number;
}

type Outcome = { kind: 'response'; res: KubeResponse } | { kind: 'refused' } | { kind: 'ambiguous'; why: string };

export class CrashWriter {
  readonly ledgers = new Map<string, ObjectLedger>();
  readonly violations: string[] = [];
  readonly acked: AckedWrite[] = [];
  readonly stats: WriterStats = { creates: 0, updates: 0, deletes: 0, reads: 0, acked: 0, ambiguous: 0, refused: 0, conflicts: 0, staleProbes: 0, ambiguousApplied: 0, ambiguousNotApplied: 0 };
  private seq = 0;

  constructor(
    readonly prefix: string,
    private readonly http: KubeHttp,
    private readonly ns: string,
    private readonly rng: Rng,
  ) {}

  private get base(): string {
    return `/api/v1/namespaces/${this.ns}/configmaps`;
  }

  /** Runs random operations until `stop()` says so or `maxOps` operations were attempted. */
  async run(stop: () => boolean, maxOps: number): Promise<void> {
    for (let i = 0; i < maxOps && !stop(); i++) {
      const active = [...this.ledgers.values()].filter(isActive);
      const r = this.rng.next();
      if (active.length < 2 || (active.length < MAX_ACTIVE && r < 0.15)) await this.create();
      else {
        const l = this.rng.pick(active);
        if (l.unresolved) await this.resolve(l);
        else if (r < 0.9) await this.update(l);
        else await this.remove(l);
      }
    }
  }

  /** Reads back every object whose last write had no answer (the server must be up). */
  async resolveAll(): Promise<void> {
    for (const l of this.ledgers.values()) if (l.unresolved && !l.lost) await this.resolve(l);
  }

  private async attempt(method: string, path: string, body?: unknown): Promise<Outcome> {
    try {
      const res = await this.http.send(method, path, body);
      if (res.status >= 500) return { kind: 'ambiguous', why: `${res.status} ${JSON.stringify(res.body).slice(0, 200)}` };
      return { kind: 'response', res };
    } catch (e) {
      if (!isTransportError(e)) throw e;
      if (!e.notSent) return { kind: 'ambiguous', why: e.code };
      // The server is down (being restarted): wait a little instead of spinning.
      await sleep(50);
      return { kind: 'refused' };
    }
  }

  private unexpected(what: string, res: KubeResponse): void {
    this.violations.push(`${this.prefix}: ${what} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 300)}`);
  }

  private async create(): Promise<void> {
    const name = `${this.prefix}-${this.seq}`;
    this.stats.creates++;
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: this.ns }, data: { n: '0', owner: this.prefix } };
    const out = await this.attempt('POST', this.base, body);
    if (out.kind === 'refused') return void this.stats.refused++;
    this.seq++;
    if (out.kind === 'ambiguous') {
      this.stats.ambiguous++;
      this.ledgers.set(name, newLedger(name, 'ambiguous'));
      return;
    }
    const { res } = out;
    if (res.status !== 201 && res.status !== 200) return this.unexpected(`create ${name}`, res);
    this.stats.acked++;
    const l = newLedger(name, 'acked');
    l.rv = res.body.metadata.resourceVersion;
    this.ledgers.set(name, l);
    this.acked.push({ type: 'ADDED', name, rv: Number(l.rv) });
  }

  private async update(l: ObjectLedger): Promise<void> {
    this.stats.updates++;
    const probe = l.staleRv !== undefined && this.rng.next() < 0.08;
    if (probe) this.stats.staleProbes++;
    const body = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: l.name, namespace: this.ns, resourceVersion: probe ? l.staleRv : l.rv },
      data: { n: String(l.n + 1), owner: this.prefix, pad: 'x'.repeat(this.rng.int(0, 200)) },
    };
    const out = await this.attempt('PUT', `${this.base}/${l.name}`, body);
    if (out.kind === 'refused') return void this.stats.refused++;
    if (out.kind === 'ambiguous') {
      this.stats.ambiguous++;
      l.ambiguousUpdates++;
      l.unresolved = l.ambiguousPending = true;
      return;
    }
    const { res } = out;
    if (res.status === 200 || res.status === 201) {
      this.stats.acked++;
      l.ackedUpdates++;
      if (probe) this.violations.push(`${l.name}: PUT with stale resourceVersion ${l.staleRv} (current ${l.rv}) was accepted`);
      if (res.body.data?.n !== String(l.n + 1)) this.violations.push(`${l.name}: PUT answered data.n=${res.body.data?.n}, sent ${l.n + 1}`);
      if (!(Number(res.body.metadata.resourceVersion) > Number(l.rv))) this.violations.push(`${l.name}: PUT answered resourceVersion ${res.body.metadata.resourceVersion}, not above ${l.rv}`);
      l.staleRv = l.rv;
      l.rv = res.body.metadata.resourceVersion;
      l.n++;
      this.acked.push({ type: 'MODIFIED', name: l.name, rv: Number(l.rv) });
    } else if (res.status === 409) {
      if (!probe) {
        this.stats.conflicts++;
        l.unresolved = true;
      }
    } else if (res.status === 404) {
      l.lost = true;
      this.unexpected(`update of existing ${l.name}`, res);
    } else this.unexpected(`update ${l.name}`, res);
  }

  private async remove(l: ObjectLedger): Promise<void> {
    this.stats.deletes++;
    const probe = l.staleRv !== undefined && this.rng.next() < 0.2;
    if (probe) this.stats.staleProbes++;
    const out = await this.attempt('DELETE', `${this.base}/${l.name}`, { preconditions: { resourceVersion: probe ? l.staleRv : l.rv } });
    if (out.kind === 'refused') return void this.stats.refused++;
    if (out.kind === 'ambiguous') {
      this.stats.ambiguous++;
      l.delete = 'ambiguous';
      l.unresolved = l.ambiguousPending = true;
      return;
    }
    const { res } = out;
    if (res.status === 200 || res.status === 202) {
      this.stats.acked++;
      if (probe) this.violations.push(`${l.name}: DELETE with stale resourceVersion ${l.staleRv} (current ${l.rv}) was accepted`);
      l.delete = 'acked';
      this.acked.push({ type: 'DELETED', name: l.name, rv: Number(res.body?.metadata?.resourceVersion) });
    } else if (res.status === 409) {
      if (!probe) {
        this.stats.conflicts++;
        l.unresolved = true;
      }
    } else if (res.status === 404) {
      l.lost = true;
      this.unexpected(`delete of existing ${l.name}`, res);
    } else this.unexpected(`delete ${l.name}`, res);
  }

  /** Reads an object back after an unknown outcome and checks it against the ledger. */
  private async resolve(l: ObjectLedger): Promise<void> {
    this.stats.reads++;
    const out = await this.attempt('GET', `${this.base}/${l.name}`);
    if (out.kind !== 'response') return;
    const { res } = out;
    if (res.status === 200) {
      const n = Number(res.body.data?.n);
      const problem = counterProblem(l, n);
      if (problem) this.violations.push(`read-back: ${problem}`);
      if (l.ambiguousPending) {
        if (l.create === 'ambiguous' || (l.delete !== 'ambiguous' && n > l.n)) this.stats.ambiguousApplied++;
        else this.stats.ambiguousNotApplied++;
      }
      if (l.create === 'ambiguous') l.create = 'confirmed';
      // An ambiguous delete that left the object in place did not apply; keep using it.
      if (l.delete === 'ambiguous') l.delete = 'none';
      if (l.rv && l.rv !== res.body.metadata.resourceVersion) l.staleRv = l.rv;
      l.rv = res.body.metadata.resourceVersion;
      l.n = n;
      l.unresolved = l.ambiguousPending = false;
    } else if (res.status === 404) {
      if (l.create === 'ambiguous') {
        l.create = 'absent';
        this.stats.ambiguousNotApplied++;
      } else if (l.delete === 'ambiguous') {
        l.delete = 'confirmed';
        this.stats.ambiguousApplied++;
      } else {
        l.lost = true;
        this.violations.push(`${l.name}: missing on read-back although created (${l.create}) and never deleted`);
      }
      l.unresolved = l.ambiguousPending = false;
    } else this.unexpected(`read-back of ${l.name}`, res);
  }
}
