// Allocates Services' cluster IPs from the service CIDR and node ports from
// the node port range, as kube-apiserver's service REST storage does: a
// requested value is checked (in range, not taken), a missing one is picked
// at random among the free ones. Runs as a mutating admission plugin, so the
// object is written with its addresses in the same write.
//
// What is taken comes from the watch cache (every Service's clusterIP and
// nodePorts) plus what this plugin handed out that the cache does not show
// yet; the check-and-reserve step has no await in it, so two concurrent
// creates never get the same address. A deleted Service's values are free
// once the cache no longer lists it. Replicas sharing etcd each keep their
// own reservations (see the report: a cross-replica race is possible there).

import { fieldError, internalError, invalid, type FieldError } from '../../api/errors.js';
import { formatIpv4, parseCidr, parseIpv4, type Ipv4Cidr } from '../../api/compute/cidr.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import { usesNodePorts } from '../../api/core/service-validation.js';
import type { AdmissionPlugin } from '../../registry/admission.js';
import type { Registry } from '../../registry/registry.js';
import type { ServiceRanges } from './service-ranges.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const PENDING_TTL_MS = 30_000;

interface Pending {
  ips: string[];
  ports: number[];
  at: number;
}

interface Taken {
  ips: Set<string>;
  ports: Set<number>;
}

function takenBy(svc: KObject): Taken {
  const spec = isPlainObject(svc.spec) ? svc.spec : {};
  const ips = new Set<string>();
  for (const ip of [spec.clusterIP, ...(Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [])]) if (typeof ip === 'string' && ip !== 'None' && ip) ips.add(ip);
  const ports = new Set<number>();
  for (const p of list(spec.ports)) if (typeof p.nodePort === 'number' && p.nodePort > 0) ports.add(p.nodePort);
  return { ips, ports };
}

export class ServiceAllocator {
  private readonly cidr: Ipv4Cidr;
  private readonly size: number;
  private readonly pending = new Map<string, Pending>();

  constructor(readonly ranges: ServiceRanges) {
    this.cidr = parseCidr(ranges.clusterIPRange)!;
    this.size = 2 ** (32 - this.cidr.prefix);
  }

  /** The first usable address (the `kubernetes` Service's, by kube's convention). */
  firstIP(): string {
    return formatIpv4(this.cidr.base + 1);
  }

  private inRange(ip: string): boolean {
    const n = parseIpv4(ip);
    // The network and broadcast addresses are never handed out.
    return n !== undefined && n > this.cidr.base && n < this.cidr.base + this.size - 1;
  }

  /** Fills in and checks spec.clusterIP(s) and nodePorts; throws 422 (or 500 when a range is full). Synchronous on purpose. */
  assign(svc: KObject, old: KObject | undefined, existing: readonly KObject[], dryRun: boolean): void {
    const spec = (isPlainObject(svc.spec) ? svc.spec : (svc.spec = {})) as Obj;
    const uid = svc.metadata.uid ?? '';
    const taken = this.taken(existing, uid);
    const mine = old ? takenBy(old) : { ips: new Set<string>(), ports: new Set<number>() };
    const reserved: Pending = { ips: [], ports: [], at: Date.now() };
    const errs: FieldError[] = [];
    const name = svc.metadata.name ?? '';
    if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') {
      const asked = typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ? spec.clusterIP : undefined;
      if (asked && parseIpv4(asked) === undefined) return; // validation names the bad value
      if (asked && !mine.ips.has(asked)) {
        if (!this.inRange(asked)) {
          errs.push(fieldError.invalid('spec.clusterIPs', [asked], `failed to allocate IP ${asked}: the provided IP (${asked}) is not in the valid range. The range of valid IPs is ${this.ranges.clusterIPRange}`));
        } else if (taken.ips.has(asked)) errs.push(fieldError.invalid('spec.clusterIPs', [asked], `failed to allocate IP ${asked}: provided IP is already allocated`));
        else reserved.ips.push(asked);
      } else if (!asked) {
        const ip = this.freeIP(taken.ips);
        if (!ip) throw internalError('failed to allocate a serviceIP: range is full');
        spec.clusterIP = ip;
        reserved.ips.push(ip);
      }
      if (typeof spec.clusterIP === 'string' && spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    }
    if (usesNodePorts(spec)) {
      const { min, max } = this.ranges.nodePorts;
      const ports = list(spec.ports);
      // A port number and protocol pair of one Service may share a node port (TCP and UDP on 53).
      const byPort = new Map<number, number>();
      ports.forEach((p, i) => {
        const asked = typeof p.nodePort === 'number' && p.nodePort > 0 ? p.nodePort : undefined;
        if (asked === undefined || mine.ports.has(asked) || reserved.ports.includes(asked)) return;
        const path = `spec.ports[${i}].nodePort`;
        if (asked < min || asked > max) errs.push(fieldError.invalid(path, asked, `provided port is not in the valid range. The range of valid ports is ${min}-${max}`));
        else if (taken.ports.has(asked)) errs.push(fieldError.invalid(path, asked, 'provided port is already allocated'));
        else reserved.ports.push(asked);
      });
      for (const p of ports) {
        if (typeof p.nodePort === 'number' && p.nodePort > 0) continue;
        const same = byPort.get(Number(p.port));
        const port = same ?? this.freePort(taken.ports, new Set([...reserved.ports, ...mine.ports]));
        if (port === undefined) throw internalError(`failed to allocate a nodePort: range is full`);
        p.nodePort = port;
        byPort.set(Number(p.port), port);
        if (!reserved.ports.includes(port)) reserved.ports.push(port);
      }
    }
    if (errs.length) throw invalid('Service', '', name, errs);
    if (!dryRun && (reserved.ips.length || reserved.ports.length)) this.pending.set(uid, reserved);
  }

  private taken(existing: readonly KObject[], self: string): Taken {
    const ips = new Set<string>();
    const ports = new Set<number>();
    const listed = new Set<string>();
    for (const s of existing) {
      listed.add(s.metadata.uid ?? '');
      if (s.metadata.uid === self) continue;
      const t = takenBy(s);
      for (const ip of t.ips) ips.add(ip);
      for (const p of t.ports) ports.add(p);
    }
    const now = Date.now();
    for (const [uid, p] of this.pending) {
      if (listed.has(uid) || now - p.at > PENDING_TTL_MS) {
        this.pending.delete(uid);
        continue;
      }
      if (uid === self) continue;
      for (const ip of p.ips) ips.add(ip);
      for (const port of p.ports) ports.add(port);
    }
    return { ips, ports };
  }

  private freeIP(taken: Set<string>): string | undefined {
    const usable = this.size - 2;
    if (usable <= 0) return undefined;
    // Random start, then walk: O(1) while the range is sparse, complete when it is not.
    const start = Math.floor(Math.random() * usable);
    for (let i = 0; i < usable; i++) {
      const ip = formatIpv4(this.cidr.base + 1 + ((start + i) % usable));
      // The first address is kept for the `kubernetes` Service.
      if (ip === this.firstIP()) continue;
      if (!taken.has(ip)) return ip;
    }
    return undefined;
  }

  private freePort(taken: Set<number>, also: Set<number>): number | undefined {
    const { min, max } = this.ranges.nodePorts;
    const span = max - min + 1;
    const start = Math.floor(Math.random() * span);
    for (let i = 0; i < span; i++) {
      const port = min + ((start + i) % span);
      if (!taken.has(port) && !also.has(port)) return port;
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
      const existing = (await store.list(undefined, { resourceVersion: '0' })).items;
      // A create of a name that exists fails in storage with AlreadyExists; allocating first would answer "IP taken".
      if (a.operation === 'CREATE' && existing.some((s) => s.metadata.namespace === a.namespace && s.metadata.name === a.obj!.metadata.name)) return;
      allocator.assign(a.obj, a.old, existing, a.ctx.dryRun);
    },
  };
}
