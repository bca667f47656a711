// Fake addresses for simulated nodes and their pods: node number i owns the
// /24 `10.<i/256>.<i%256>.0`, the node is `.1` and its pods take `.2`-`.254`.
// Process nodes are the host itself: node and pods share the host's address
// (127.0.0.1 unless told otherwise). An address someone else already wrote
// into a pod's status (an IPAM controller) wins over either.

export class PodIPs {
  private readonly used = new Set<number>();
  private next = 2;

  constructor(
    private readonly prefix: string | undefined,
    private readonly hostIP = '127.0.0.1',
  ) {}

  /** For node number `index`; not simulated: every address is `hostIP`. */
  static forNode(index: number, simulated: boolean, hostIP?: string): PodIPs {
    return simulated ? new PodIPs(`10.${(index >> 8) & 255}.${index & 255}`) : new PodIPs(undefined, hostIP);
  }

  get nodeIP(): string {
    return this.prefix ? `${this.prefix}.1` : this.hostIP;
  }

  /** The next free address; once all 253 are taken, addresses repeat (a simulation may overcommit). */
  allocate(): string {
    if (!this.prefix) return this.hostIP;
    for (let i = 0; i < 253; i++) {
      const host = this.next;
      this.next = this.next >= 254 ? 2 : this.next + 1;
      if (!this.used.has(host)) {
        this.used.add(host);
        return `${this.prefix}.${host}`;
      }
    }
    return `${this.prefix}.${this.next}`;
  }

  /** Marks an address as taken (a pod found running after an agent restart). */
  claim(ip: string): void {
    const host = this.hostOf(ip);
    if (host !== undefined) this.used.add(host);
  }

  release(ip: string): void {
    const host = this.hostOf(ip);
    if (host !== undefined) this.used.delete(host);
  }

  private hostOf(ip: string): number | undefined {
    if (!this.prefix || !ip.startsWith(`${this.prefix}.`)) return undefined;
    const n = Number(ip.slice(this.prefix.length + 1));
    return Number.isInteger(n) ? n : undefined;
  }
}

/**
 * The default-prefix nodes (`node-<n>`, the in-process ones) take /24s by number,
 * from the bottom; any other name takes a stable /24 from the upper half, so
 * nodes of a second agent (`extra-0`) never share addresses with `node-0`.
 */
export function nodeIndex(name: string): number {
  const m = /^node-(\d+)$/.exec(name);
  if (m && Number(m[1]) < 0x8000) return Number(m[1]);
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return 0x8000 | (h & 0x7fff);
}
