// Which pods back a Service and on which ports: kube's selection (the
// Service's selector over pods of its namespace that have an IP and have not
// finished) and target-port resolution (a number, or a named container port
// looked up in each pod, so pods of one Service may differ).

import { isPlainObject, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { isReady } from '../compute/pod-state.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface Backend {
  pod: KObject;
  ip: string;
  ready: boolean;
  terminating: boolean;
  ports: EndpointPort[];
}

export function serviceSelector(svc: KObject): Record<string, string> | undefined {
  const sel = section(svc, 'spec').selector;
  if (!isPlainObject(sel) || Object.keys(sel).length === 0) return undefined;
  return sel as Record<string, string>;
}

export function selects(svc: KObject, pod: KObject): boolean {
  const sel = serviceSelector(svc);
  if (!sel || pod.metadata.namespace !== svc.metadata.namespace) return false;
  const labels = pod.metadata.labels ?? {};
  return Object.entries(sel).every(([k, v]) => labels[k] === v);
}

/** The pod's port for a service port's targetPort, or undefined when a named port is missing. */
export function resolveTargetPort(pod: KObject, servicePort: Obj): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  for (const c of list(section(pod, 'spec').containers)) {
    for (const p of list(c.ports)) if (p.name === target && (p.protocol ?? 'TCP') === protocol && typeof p.containerPort === 'number') return p.containerPort;
  }
  return undefined;
}

const podIP = (pod: KObject) => {
  const ip = section(pod, 'status').podIP;
  return typeof ip === 'string' && ip ? ip : undefined;
};

const finished = (pod: KObject) => ['Succeeded', 'Failed'].includes(String(section(pod, 'status').phase));

/** Backends of the Service among `pods` (its namespace's), with their resolved ports. */
export function backends(svc: KObject, pods: readonly KObject[]): Backend[] {
  const ports = list(section(svc, 'spec').ports);
  const out: Backend[] = [];
  for (const pod of pods) {
    const ip = podIP(pod);
    if (!ip || finished(pod) || !selects(svc, pod)) continue;
    const resolved: EndpointPort[] = [];
    for (const sp of ports) {
      const port = resolveTargetPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointPort = { port, protocol: String(sp.protocol ?? 'TCP') };
      if (typeof sp.name === 'string' && sp.name) ep.name = sp.name;
      if (typeof sp.appProtocol === 'string') ep.appProtocol = sp.appProtocol;
      resolved.push(ep);
    }
    out.push({ pod, ip, ready: isReady(pod) && !pod.metadata.deletionTimestamp, terminating: !!pod.metadata.deletionTimestamp, ports: resolved });
  }
  return out.sort((a, b) => (a.pod.metadata.name! < b.pod.metadata.name! ? -1 : 1));
}

export const portsKey = (ports: EndpointPort[]) => JSON.stringify(ports.map((p) => [p.name ?? '', p.port, p.protocol, p.appProtocol ?? '']));

export function podRef(pod: KObject): Obj {
  return { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}
