// Keeps the address records (IPAddress objects, node port records) true to
// the Services, as kube's IPAddress repair controller: a record goes when its
// Service is deleted or no longer holds the address; a record whose Service
// never came (the write failed after the claim) goes once it is older than a
// grace period (a Service being created right now has a record but is not
// stored yet); a Service holding an address with no record gets one back.
// Records a user made (without the allocator's managed-by label) are left
// alone: they reserve their address. Idempotent; every release names the
// record's uid, so a newer record of the same address is never removed.

import { setTimeout as sleep } from 'node:timers/promises';
import type { KObject } from '../../api/object.js';
import type { Logger } from '../../client/logger.js';
import { stderrLogger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import type { AddressBook, AddressKind, AddressRecord } from './address-book.js';
import { SERVICES } from './resources.js';
import { addressesOf, serviceRefOf, type ServiceAllocator } from './service-allocation.js';

export interface AddressRepairOptions {
  log?: Logger;
  informers?: SharedInformers;
  /** A record without its Service is kept this long (default 30 s). */
  graceMs?: number;
  /** Time between full passes (default 60 s). */
  intervalMs?: number;
}

const keyOf = (o: KObject) => `${o.metadata.namespace}/${o.metadata.name}`;

function held(svc: KObject, kind: AddressKind): string[] {
  const a = addressesOf(svc);
  return kind === 'ip' ? [...a.ips] : [...a.ports].map(String);
}

export class AddressRepair {
  private readonly log: Logger;
  private readonly graceMs: number;

  constructor(
    private readonly allocator: ServiceAllocator,
    private readonly services: () => KObject[],
    opts: AddressRepairOptions = {},
  ) {
    this.log = opts.log ?? stderrLogger;
    this.graceMs = opts.graceMs ?? 30_000;
  }

  private get book(): AddressBook {
    return this.allocator.book;
  }

  private current(namespace: string, name: string): KObject | undefined {
    return this.services().find((s) => s.metadata.namespace === namespace && s.metadata.name === name);
  }

  /** Releases what `svc` held and `now` (its new version, if any) does not. */
  async released(svc: KObject, now?: KObject): Promise<void> {
    for (const kind of ['ip', 'port'] as const) {
      const keep = new Set(now ? held(now, kind) : []);
      const gone = held(svc, kind).filter((a) => !keep.has(a));
      if (!gone.length) continue;
      const records = await this.book.records(kind);
      for (const address of gone) {
        const rec = records.get(address);
        if (!rec || !this.ownedBy(rec, svc)) continue;
        // The same name may be back already, holding the address again.
        const again = this.current(svc.metadata.namespace ?? '', svc.metadata.name ?? '');
        if (again && again.metadata.uid !== svc.metadata.uid && held(again, kind).includes(address)) continue;
        await this.book.release(kind, address, rec.uid);
      }
    }
  }

  private ownedBy(rec: AddressRecord, svc: KObject): boolean {
    const h = rec.holder;
    return rec.managed && !!h && h.namespace === svc.metadata.namespace && h.name === svc.metadata.name && (!h.uid || h.uid === svc.metadata.uid);
  }

  /** One full pass: orphaned records released, missing ones restored. */
  async repair(now = Date.now()): Promise<void> {
    const services = this.services();
    for (const kind of ['ip', 'port'] as const) {
      const records = await this.book.records(kind);
      const holders = new Map<string, KObject>();
      for (const s of services) for (const a of held(s, kind)) holders.set(a, s);
      for (const [address, rec] of records) {
        if (!rec.managed || now - rec.createdAt < this.graceMs) continue;
        const svc = holders.get(address);
        const rightful = svc && rec.holder && rec.holder.namespace === svc.metadata.namespace && rec.holder.name === svc.metadata.name;
        if (rightful) continue;
        if (svc) {
          this.log.error({ kind, address, service: keyOf(svc), record: rec.holder }, 'address record names another Service than the one holding it');
          continue;
        }
        this.log.warn({ kind, address, record: rec.holder }, 'address record has no Service: released');
        await this.book.release(kind, address, rec.uid);
      }
      for (const [address, svc] of holders) {
        if (records.has(address) || !this.inRange(kind, address)) continue;
        const ok = (await this.book.claim(kind, address, serviceRefOf(svc))).outcome !== 'taken';
        if (ok) this.log.warn({ kind, address, service: keyOf(svc) }, 'Service held an address with no record: recorded');
        else this.log.error({ kind, address, service: keyOf(svc) }, 'Service holds an address recorded for another Service');
      }
    }
  }

  private inRange(kind: AddressKind, address: string): boolean {
    return kind === 'ip' ? this.allocator.inRange(address) : this.allocator.inPortRange(Number(address));
  }
}

/** Runs the repair against the Services informer until `signal` aborts. */
export async function runAddressRepair(client: Client, allocator: ServiceAllocator, signal: AbortSignal, opts: AddressRepairOptions = {}): Promise<void> {
  const log = opts.log ?? stderrLogger;
  const informers = opts.informers ?? new SharedInformers(client, { log });
  const services = informers.informerFor(SERVICES);
  const repair = new AddressRepair(allocator, () => services.list(), opts);
  const run = (what: string, fn: () => Promise<void>) => void fn().catch((e) => log.error({ err: e instanceof Error ? e.message : String(e) }, `address repair: ${what} failed`));
  services.addHandler({
    onUpdate: (old, now) => run('release', () => repair.released(old, now)),
    onDelete: (svc) => run('release', () => repair.released(svc)),
  });
  informers.start(signal); // idempotent: shared informers may already run
  if (!(await services.waitForSync(signal))) return;
  const interval = opts.intervalMs ?? 60_000;
  while (!signal.aborted) {
    await repair.repair().catch((e) => log.error({ err: e instanceof Error ? e.message : String(e) }, 'address repair pass failed'));
    await sleep(interval, undefined, { signal }).catch(() => undefined);
  }
  if (!opts.informers) await informers.stopped();
}
