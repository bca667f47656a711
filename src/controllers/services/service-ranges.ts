// The address and port ranges Services draw from: the service CIDR
// (`--service-cluster-ip-range`, kube's default 10.96.0.0/12) and the node
// port range (`--service-node-port-range`, 30000-32767). Parsing names the
// flag and the problem.

import { cidrErrors, parseCidr, type Ipv4Cidr } from '../../api/compute/cidr.js';

export interface ServiceRanges {
  clusterIPRange: string;
  nodePorts: { min: number; max: number };
}

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';
export const DEFAULT_NODE_PORT_RANGE = '30000-32767';

export function parseServiceCidr(text: string): Ipv4Cidr {
  const errs = cidrErrors(text);
  if (errs.length) throw new Error(`--service-cluster-ip-range: "${text}" ${errs.join('; ')}`);
  const c = parseCidr(text)!;
  if (c.prefix > 30) throw new Error(`--service-cluster-ip-range: "${text}" is too small: at least a /30 is needed`);
  return c;
}

export function parseNodePortRange(text: string): { min: number; max: number } {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2]) : NaN;
  if (!m || min < 1 || max > 65535 || min > max) throw new Error(`--service-node-port-range: expected MIN-MAX within 1-65535, got "${text}"`);
  return { min, max };
}

export function serviceRanges(cidr = DEFAULT_SERVICE_CIDR, nodePorts = DEFAULT_NODE_PORT_RANGE): ServiceRanges {
  parseServiceCidr(cidr);
  return { clusterIPRange: cidr, nodePorts: parseNodePortRange(nodePorts) };
}
