// Health probes of a Dataplane's inbounds, run by `workplane dp run`: a TCP
// connect to the application behind each inbound by default, an HTTP GET when
// the inbound's serviceProbe asks for one (`serviceProbe: {http: {path}}`).
// Ignored inbounds are not probed and not reported.

import { request } from 'node:http';
import { connect } from 'node:net';
import { isPlainObject, type KObject } from '../../api/object.js';
import type { InboundHealth } from '../protocol/messages.js';

export interface ProbeTarget {
  /** The inbound's port: how the report names it. */
  port: number;
  host: string;
  targetPort: number;
  /** HTTP path; absent means TCP. */
  httpPath?: string;
}

/** What to probe for each inbound: the application at serviceAddress:servicePort, defaulting as Kuma does. */
export function probeTargets(dp: KObject): ProbeTarget[] {
  const net = isPlainObject(dp.spec) && isPlainObject(dp.spec.networking) ? dp.spec.networking : {};
  const inbounds = Array.isArray(net.inbound) ? net.inbound.filter(isPlainObject) : [];
  const out: ProbeTarget[] = [];
  for (const inb of inbounds) {
    if (inb.state === 'Ignored' || typeof inb.port !== 'number') continue;
    const host = [inb.serviceAddress, inb.address, net.address].find((a) => typeof a === 'string' && a !== '') as string | undefined;
    const probe = isPlainObject(inb.serviceProbe) ? inb.serviceProbe : {};
    const http = isPlainObject(probe.http) ? probe.http : undefined;
    out.push({
      port: inb.port,
      host: host ?? '127.0.0.1',
      targetPort: typeof inb.servicePort === 'number' ? inb.servicePort : inb.port,
      ...(http ? { httpPath: typeof http.path === 'string' && http.path ? http.path : '/' } : {}),
    });
  }
  return out;
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

function httpProbe(host: string, port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host, port, path, method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 400);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

export async function probeInbounds(targets: readonly ProbeTarget[], timeoutMs = 1000): Promise<InboundHealth[]> {
  return Promise.all(
    targets.map(async (t) => ({
      port: t.port,
      ready: t.httpPath !== undefined ? await httpProbe(t.host, t.targetPort, t.httpPath, timeoutMs) : await tcpProbe(t.host, t.targetPort, timeoutMs),
    })),
  );
}
