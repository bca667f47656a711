// IPv4 CIDR blocks for Network IPAM: parsing with the problems a user can
// fix named, and the address arithmetic an allocator needs.

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit number. */
  base: number;
  prefix: number;
}

export const CIDR_EXAMPLE = '10.128.0.0/16';

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Dotted quad to a number; undefined when malformed (leading zeros are refused, as Go's parser does). */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

export const formatIpv4 = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

const blockSize = (prefix: number) => 2 ** (32 - prefix);

export function parseCidr(text: string): Ipv4Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const base = parseIpv4(text.slice(0, slash));
  const p = text.slice(slash + 1);
  if (base === undefined || !/^(0|[1-9][0-9]?)$/.test(p) || Number(p) > 32) return undefined;
  return { base, prefix: Number(p) };
}

/** The problems with a CIDR string, in the style of kube's IP validation; empty when valid. */
export function cidrErrors(text: string): string[] {
  if (text.includes(':')) return [`must be an IPv4 CIDR value, (e.g. ${CIDR_EXAMPLE})`];
  const c = parseCidr(text);
  if (!c) return [`must be a valid CIDR value, (e.g. ${CIDR_EXAMPLE})`];
  const network = c.base - (c.base % blockSize(c.prefix));
  if (network !== c.base) return [`must be a network address with no host bits set (e.g. "${formatIpv4(network)}/${c.prefix}")`];
  return [];
}

/** Addresses pods can get: the block less its network and broadcast addresses (/31 and /32 keep all). */
export function usableAddresses(c: Ipv4Cidr): number {
  const size = blockSize(c.prefix);
  return c.prefix >= 31 ? size : size - 2;
}

/** The i-th usable address (0-based), for allocators walking the block. */
export function nthAddress(c: Ipv4Cidr, i: number): string {
  const offset = c.prefix >= 31 ? 0 : 1;
  return formatIpv4(c.base + offset + i);
}

export function cidrContains(c: Ipv4Cidr, ip: string): boolean {
  const n = parseIpv4(ip);
  return n !== undefined && n >= c.base && n < c.base + blockSize(c.prefix);
}
