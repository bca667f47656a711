// The endpoints controller: for each Service with a selector, an Endpoints
// object of the same name lists the selected pods' addresses (ready ones in
// `addresses`, the others in `notReadyAddresses`, unless the Service
// publishes not-ready addresses), grouped into subsets by resolved ports.
// Services without a selector keep Endpoints written by hand.

import { isAlreadyExists, isNotFound } from '../../api/errors.js';
import { deepEqual, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import { stderrLogger, type Logger } from '../../client/logger.js';
import { keyOf, splitKey } from '../../client/object-key.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { backends, podRef, portsKey, selects, serviceSelector, type Backend } from './service-pods.js';
import { ENDPOINTS, NAMESPACE_INDEX, PODS, SERVICES } from './resources.js';

type Obj = Record<string, unknown>;
const byNamespace = (o: KObject) => [o.metadata.namespace ?? ''];

export function endpointsController(client: Client, opts: { informers?: SharedInformers; log?: Logger; workers?: number } = {}): Controller {
  const log = opts.log ?? stderrLogger;
  const informers = opts.informers ?? new SharedInformers(client, { log });
  const services = informers.informerFor(SERVICES, { [NAMESPACE_INDEX]: byNamespace });
  const pods = informers.informerFor(PODS, { [NAMESPACE_INDEX]: byNamespace });
  const endpoints = informers.informerFor(ENDPOINTS);
  const r = new EndpointsReconciler(client.resource(ENDPOINTS), services, pods, endpoints);
  return controllerFor(client, { name: 'endpoints-controller', workers: opts.workers ?? 2, informers, log })
    .for(SERVICES)
    .watches(ENDPOINTS, (e) => keyOf(e.metadata.namespace, e.metadata.name!))
    .watches(PODS, (p) => servicesSelecting(services, p))
    .complete(r);
}

export function servicesSelecting(services: Informer, pod: KObject): string[] {
  return services
    .byIndex(NAMESPACE_INDEX, pod.metadata.namespace ?? '')
    .filter((s) => selects(s, pod))
    .map((s) => keyOf(s.metadata.namespace, s.metadata.name!));
}

export class EndpointsReconciler {
  constructor(
    private readonly writer: ResourceClient,
    private readonly services: Informer,
    private readonly pods: Informer,
    private readonly endpoints: Informer,
  ) {}

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = this.services.getByKey(key);
    const current = this.endpoints.getByKey(key);
    if (!svc) {
      if (current) await this.writer.delete(namespace, name, { preconditions: { uid: current.metadata.uid } }).catch(ignoreGone);
      return;
    }
    if (!serviceSelector(svc)) return; // endpoints of a selector-less service are the user's
    const publishNotReady = section(svc, 'spec').publishNotReadyAddresses === true;
    const subsets = toSubsets(backends(svc, this.pods.byIndex(NAMESPACE_INDEX, namespace ?? '')).filter((b) => !b.terminating || publishNotReady), publishNotReady, name);
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
    if (section(svc, 'spec').clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    if (current) {
      if (deepEqual(current.subsets ?? [], subsets) && deepEqual(current.metadata.labels ?? {}, labels)) return;
      const next: KObject = { ...current, metadata: { ...current.metadata, labels } };
      if (subsets.length) next.subsets = subsets;
      else delete next.subsets;
      await this.writer.update(namespace, next);
      return;
    }
    const body: KObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels } };
    if (subsets.length) body.subsets = subsets;
    await this.writer.create(namespace, body).catch((e) => {
      if (!isAlreadyExists(e) && (e as { code?: number }).code !== 403) throw e;
    });
  }
}

function address(b: Backend, service: string): Obj {
  const a: Obj = { ip: b.ip };
  const spec = section(b.pod, 'spec');
  if (typeof spec.hostname === 'string' && spec.subdomain === service) a.hostname = spec.hostname;
  if (typeof spec.nodeName === 'string' && spec.nodeName) a.nodeName = spec.nodeName;
  a.targetRef = podRef(b.pod);
  return a;
}

/** Subsets grouped by port set, addresses sorted by IP (kube repacks them the same way). */
export function toSubsets(items: Backend[], publishNotReady: boolean, service: string): Obj[] {
  const groups = new Map<string, { ports: Obj[]; ready: Obj[]; notReady: Obj[] }>();
  for (const b of items) {
    if (b.ports.length === 0) continue;
    const k = portsKey(b.ports);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { ports: b.ports.map((p) => ({ ...p })), ready: [], notReady: [] }));
    (b.ready || publishNotReady ? g.ready : g.notReady).push(address(b, service));
  }
  const byIp = (x: Obj, y: Obj) => String(x.ip).localeCompare(String(y.ip), undefined, { numeric: true });
  return [...groups.values()].map((g) => {
    const s: Obj = { ports: g.ports };
    if (g.ready.length) s.addresses = g.ready.sort(byIp);
    if (g.notReady.length) s.notReadyAddresses = g.notReady.sort(byIp);
    return s;
  });
}

function ignoreGone(e: unknown): void {
  if (!isNotFound(e) && (e as { code?: number }).code !== 409) throw e;
}

