// Hands out addresses from Networks' CIDR blocks to pods. The durable record
// is the pod itself (annotations naming the network and the address), so the
// allocator is rebuilt from the pod informer after a restart; in between it
// also holds reservations for pods being created, so two creates in flight
// never get the same address. An address is released when its pod is gone.

import { cidrContains, nthAddress, parseCidr, parseIpv4, usableAddresses } from '../../api/compute/cidr.js';
import type { KObject } from '../../api/object.js';
import { keyOf } from '../../client/object-key.js';
import { POD_IP_ANNOTATION, POD_NETWORK_ANNOTATION } from './resources.js';

interface Block {
  /** address → holder (pod key `namespace/name`) */
  byIp: Map<string, string>;
  /** Where the next search starts, so allocation does not rescan from the front every time. */
  cursor: number;
}

/** The network and address a pod holds, from its annotations. */
export function podAddress(pod: KObject): { network: string; ip: string } | undefined {
  const a = pod.metadata.annotations;
  const network = a?.[POD_NETWORK_ANNOTATION];
  const ip = a?.[POD_IP_ANNOTATION];
  return network && ip && parseIpv4(ip) !== undefined ? { network, ip } : undefined;
}

export class IpAllocator {
  /** Keyed by network key `namespace/name`. */
  private readonly blocks = new Map<string, Block>();
  /** pod key → [network key, ip] */
  private readonly holders = new Map<string, [string, string]>();
  private readonly listeners = new Set<(networkKey: string) => void>();

  /** Called with the network key whenever its allocation count changes. */
  onChange(fn: (networkKey: string) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private block(networkKey: string): Block {
    let b = this.blocks.get(networkKey);
    if (!b) this.blocks.set(networkKey, (b = { byIp: new Map(), cursor: 0 }));
    return b;
  }

  private changed(networkKey: string): void {
    for (const fn of this.listeners) fn(networkKey);
  }

  allocatedCount(networkKey: string): number {
    return this.blocks.get(networkKey)?.byIp.size ?? 0;
  }

  /** Addresses of `cidr` held in the network (holders outside the block are not counted). */
  allocatedIn(networkKey: string, cidr: string): number {
    const c = parseCidr(cidr);
    const b = this.blocks.get(networkKey);
    if (!c || !b) return 0;
    let n = 0;
    for (const ip of b.byIp.keys()) if (cidrContains(c, ip)) n++;
    return n;
  }

  /** Reserves a free address for the pod (idempotent per pod); undefined when the block is full or invalid. */
  allocate(namespace: string, network: string, cidr: string, podName: string): string | undefined {
    const podKey = keyOf(namespace, podName);
    const networkKey = keyOf(namespace, network);
    const held = this.holders.get(podKey);
    if (held && held[0] === networkKey) return held[1];
    const c = parseCidr(cidr);
    if (!c) return undefined;
    const size = usableAddresses(c);
    const b = this.block(networkKey);
    for (let i = 0; i < size; i++) {
      const idx = (b.cursor + i) % size;
      const ip = nthAddress(c, idx);
      if (b.byIp.has(ip)) continue;
      b.byIp.set(ip, podKey);
      b.cursor = (idx + 1) % size;
      this.holders.set(podKey, [networkKey, ip]);
      this.changed(networkKey);
      return ip;
    }
    return undefined;
  }

  /** Frees whatever the pod holds (its create failed, or it is gone). */
  release(namespace: string, podName: string): void {
    const podKey = keyOf(namespace, podName);
    const held = this.holders.get(podKey);
    if (!held) return;
    this.holders.delete(podKey);
    const b = this.blocks.get(held[0]);
    if (b?.byIp.get(held[1]) === podKey) b.byIp.delete(held[1]);
    this.changed(held[0]);
  }

  /** Records an address a pod already holds (informer add/update). */
  observe(pod: KObject): void {
    const addr = podAddress(pod);
    const ns = pod.metadata.namespace ?? '';
    if (!addr || !pod.metadata.name) return;
    const podKey = keyOf(ns, pod.metadata.name);
    const networkKey = keyOf(ns, addr.network);
    const held = this.holders.get(podKey);
    if (held && held[0] === networkKey && held[1] === addr.ip) return;
    if (held) this.release(ns, pod.metadata.name);
    const b = this.block(networkKey);
    // First holder wins; a pod claiming a taken address keeps no record here.
    if (b.byIp.has(addr.ip)) return;
    b.byIp.set(addr.ip, podKey);
    this.holders.set(podKey, [networkKey, addr.ip]);
    this.changed(networkKey);
  }
}
