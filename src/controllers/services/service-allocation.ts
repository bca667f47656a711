// Allocates Services' cluster IPs from the service CIDR and node ports from
// the node port range, as kube-apiserver's service REST storage does: a
// requested value is checked (in range, not taken), a missing one is picked
// at random among the free ones. Runs as a mutating admission plugin, so the
// object is written with its addresses in the same write.
//
// Every address is claimed in the AddressBook (an IPAddress object, a node
// port record) before the Service is stored; storage creates a record only if
// none exists, so two creates, on one replica or on several sharing etcd,
// never get the same address. A random pick that loses such a race picks
// again. Records go when their Service goes (address-repair.ts), which also
// cleans up the records of writes that failed after the claim.

import { fieldError, internalError, invalid, type FieldError } from '../../api/errors.js';
import { formatIpv4, parseCidr, parseIpv4, type Ipv4Cidr } from '../../api/compute/cidr.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import { usesNodePorts } from '../../api/core/service-validation.js';
import type { AdmissionPlugin } from '../../registry/admission.js';
import type { Registry } from '../../registry/registry.js';
import type { AddressBook, AddressKind, ServiceRef } from './address-book.js';
import type { ServiceRanges } from './service-ranges.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
/** Random picks that lose a race to another writer are retried this many times before giving up. */
const MAX_PICKS = 32;

export interface ServiceAddresses {
  ips: Set<string>;
  ports: Set<number>;
}

/** The cluster IPs and node ports a Service holds. */
export function addressesOf(svc: KObject): ServiceAddresses {
  const spec = isPlainObject(svc.spec) ? svc.spec : {};
  const ips = new Set<string>();
  for (const ip of [spec.clusterIP, ...(Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [])]) if (typeof ip === 'string' && ip !== 'None' && ip) ips.add(ip);
  const ports = new Set<number>();
  for (const p of list(spec.ports)) if (typeof p.nodePort === 'number' && p.nodePort > 0) ports.add(p.nodePort);
  return { ips, ports };
}

export const serviceRefOf = (svc: KObject): ServiceRef => ({ namespace: svc.metadata.namespace ?? '', name: svc.metadata.name ?? '', uid: svc.metadata.uid });

export class ServiceAllocator {
  private readonly cidr: Ipv4Cidr;
  private readonly size: number;

  constructor(
    readonly ranges: ServiceRanges,
    readonly book: AddressBook,
  ) {
    this.cidr = parseCidr(ranges.clusterIPRange)!;
    this.size = 2 ** (32 - this.cidr.prefix);
  }

  /** The first usable address (the `kubernetes` Service's, by kube's convention). */
  firstIP(): string {
    return formatIpv4(this.cidr.base + 1);
  }

  inRange(ip: string): boolean {
    const n = parseIpv4(ip);
    // The network and broadcast addresses are never handed out.
    return n !== undefined && n > this.cidr.base && n < this.cidr.base + this.size - 1;
  }

  inPortRange(port: number): boolean {
    return port >= this.ranges.nodePorts.min && port <= this.ranges.nodePorts.max;
  }

  /**
   * Fills in and checks spec.clusterIP(s) and nodePorts, claiming each new address; throws
   * 422 (or 500 when a range is full), after releasing what this call claimed. (A write that
   * fails later leaves its records to the repair.)
   */
  async assign(svc: KObject, old: KObject | undefined, dryRun: boolean): Promise<void> {
    const made: { kind: AddressKind; address: string; uid: string }[] = [];
    try {
      await this.assignClaiming(svc, old, dryRun, made);
    } catch (e) {
      for (const m of made) await this.book.release(m.kind, m.address, m.uid);
      throw e;
    }
  }

  private async assignClaiming(svc: KObject, old: KObject | undefined, dryRun: boolean, made: { kind: AddressKind; address: string; uid: string }[]): Promise<void> {
    const spec = (isPlainObject(svc.spec) ? svc.spec : (svc.spec = {})) as Obj;
    const owner = serviceRefOf(svc);
    const mine = old ? addressesOf(old) : { ips: new Set<string>(), ports: new Set<number>() };
    const errs: FieldError[] = [];
    // A requested address is free when no record names another Service (dry runs claim nothing).
    const take = async (kind: AddressKind, address: string, taken: Map<string, { holder?: ServiceRef }>): Promise<boolean> => {
      if (dryRun) {
        const h = taken.get(address)?.holder;
        return !taken.has(address) || (!!h && h.namespace === owner.namespace && h.name === owner.name);
      }
      const c = await this.book.claim(kind, address, owner);
      if (c.outcome === 'created') made.push({ kind, address, uid: c.uid });
      return c.outcome !== 'taken';
    };
    if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
      const asked = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined;
      if (asked && parseIpv4(asked) === undefined) return; // validation names the bad value
      if (asked && !mine.ips.has(asked)) {
        if (!this.inRange(asked)) {
          errs.push(fieldError.invalid('spec.clusterIPs', [asked], `failed to allocate IP ${asked}: the provided IP (${asked}) is not in the valid range. The range of valid IPs is ${this.ranges.clusterIPRange}`));
        } else if (!(await take('ip', asked, await this.book.records('ip')))) {
          errs.push(fieldError.invalid('spec.clusterIPs', [asked], `failed to allocate IP ${asked}: provided IP is already allocated`));
        }
      } else if (!asked) {
        spec.clusterIP = await this.pick('ip', (taken, skip) => this.freeIP(taken, skip), take, 'failed to allocate a serviceIP: range is full');
      }
      if (typeof spec.clusterIP === 'string' && spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    }
    if (usesNodePorts(spec)) {
      const { min, max } = this.ranges.nodePorts;
      const ports = list(spec.ports);
      const claimed = new Set<number>();
      const asked = (p: Obj) => (typeof p.nodePort === 'number' && p.nodePort > 0 ? p.nodePort : undefined);
      ports.forEach((p, i) => {
        const n = asked(p);
        if (n !== undefined && !mine.ports.has(n) && !this.inPortRange(n)) errs.push(fieldError.invalid(`spec.ports[${i}].nodePort`, n, `provided port is not in the valid range. The range of valid ports is ${min}-${max}`));
      });
      // Nothing more is claimed for a Service that will be refused.
      if (errs.length) throw invalid('Service', '', svc.metadata.name ?? '', errs);
      for (const [i, p] of ports.entries()) {
        const n = asked(p);
        if (n === undefined || mine.ports.has(n) || claimed.has(n)) continue;
        if (!(await take('port', String(n), await this.book.records('port')))) errs.push(fieldError.invalid(`spec.ports[${i}].nodePort`, n, 'provided port is already allocated'));
        else claimed.add(n);
      }
      // A port number of one Service may share a node port across protocols (TCP and UDP on 53).
      const byPort = new Map<number, number>();
      for (const p of ports) {
        if (typeof p.nodePort === 'number' && p.nodePort > 0) continue;
        let port = byPort.get(Number(p.port));
        if (port === undefined) {
          const skipMine = new Set([...claimed, ...mine.ports].map(String));
          port = Number(await this.pick('port', (taken, skip) => this.freePort(taken, new Set([...skip, ...skipMine])), take, 'failed to allocate a nodePort: range is full'));
          claimed.add(port);
        }
        p.nodePort = port;
        byPort.set(Number(p.port), port);
      }
    }
    if (errs.length) throw invalid('Service', '', svc.metadata.name ?? '', errs);
  }

  /** Picks a free address at random and claims it, picking again when another writer took it first. */
  private async pick(
    kind: AddressKind,
    free: (taken: Map<string, unknown>, skip: Set<string>) => string | undefined,
    take: (kind: AddressKind, address: string, taken: Map<string, { holder?: ServiceRef }>) => Promise<boolean>,
    fullMessage: string,
  ): Promise<string> {
    const lost = new Set<string>();
    for (let i = 0; i < MAX_PICKS; i++) {
      const taken = await this.book.records(kind);
      const candidate = free(taken, lost);
      if (candidate === undefined) throw internalError(fullMessage);
      if (await take(kind, candidate, taken)) return candidate;
      lost.add(candidate);
    }
    throw internalError(`${fullMessage.replace(/: range is full$/, '')}: too many concurrent allocations, try again`);
  }

  private freeIP(taken: Map<string, unknown>, skip: Set<string>): string | undefined {
    const usable = this.size - 2;
    if (usable <= 0) return undefined;
    // Random start, then walk: O(1) while the range is sparse, complete when it is not.
    const start = Math.floor(Math.random() * usable);
    for (let i = 0; i < usable; i++) {
      const ip = formatIpv4(this.cidr.base + 1 + ((start + i) % usable));
      // The first address is kept for the `kubernetes` Service.
      if (ip === this.firstIP()) continue;
      if (!taken.has(ip) && !skip.has(ip)) return ip;
    }
    return undefined;
  }

  private freePort(taken: Map<string, unknown>, skip: Set<string>): string | undefined {
    const { min, max } = this.ranges.nodePorts;
    const span = max - min + 1;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const port = String(min + ((start + i) % span));
      if (!taken.has(port) && !skip.has(port)) return port;
    }
    return undefined;
  }
}

export function serviceAllocationAdmission(registry: Registry, allocator: ServiceAllocator): AdmissionPlugin {
  return {
    name: 'ServiceAllocation',
    handles: (def, op) => def.group === '' && def.kind === 'Service' && (op === 'CREATE' || op === 'UPDATE'),
    async admit(a) {
      if (!a.obj || a.ctx.subresource === 'status') return;
      const store = registry.forKind('', 'Service');
      if (!store) return;
      // A create of a name that exists fails in storage with AlreadyExists; allocating first would answer "IP taken".
      if (a.operation === 'CREATE' && (await store.list(a.namespace, { resourceVersion: '0', fieldSelector: `metadata.name=${a.obj.metadata.name}` })).items.length) return;
      await allocator.assign(a.obj, a.old, a.ctx.dryRun);
    },
  };
}
