// The endpointslice controller, with kube's semantics: each Service with a
// selector owns EndpointSlices labelled kubernetes.io/service-name=<service>
// and endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io,
// named `<service>-<suffix>`, holding at most 100 endpoints that share one
// set of resolved ports. Each endpoint carries its pod's address and
// conditions (ready: ready and not terminating; serving; terminating), so
// slices follow pod readiness. Existing slices are updated in place before
// new ones are made, and emptied ones deleted.

import { isAlreadyExists, isNotFound } from '../../api/errors.js';
import { deepEqual, type KObject } from '../../api/object.js';
import { section } from '../../api/core/columns.js';
import { ENDPOINTSLICE_CONTROLLER, MANAGED_BY_LABEL, SERVICE_NAME_LABEL } from '../../api/discovery/endpoint-slice.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import { stderrLogger, type Logger } from '../../client/logger.js';
import { keyOf, splitKey } from '../../client/object-key.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { controllerRef } from '../apps/pod-control.js';
import { Expectations } from '../compute/expectations.js';
import { servicesSelecting } from './endpoints-controller.js';
import { ENDPOINT_SLICES, NAMESPACE_INDEX, PODS, SERVICES, SERVICE_NAME_INDEX } from './resources.js';
import { backends, podRef, portsKey, serviceSelector, type Backend } from './service-pods.js';

type Obj = Record<string, unknown>;
export const MAX_ENDPOINTS_PER_SLICE = 100;
const byNamespace = (o: KObject) => [o.metadata.namespace ?? ''];
const managedSliceKey = (s: KObject): string[] => {
  const l = s.metadata.labels ?? {};
  return l[MANAGED_BY_LABEL] === ENDPOINTSLICE_CONTROLLER && l[SERVICE_NAME_LABEL] ? [keyOf(s.metadata.namespace, l[SERVICE_NAME_LABEL])] : [];
};

export function endpointSliceController(client: Client, opts: { informers?: SharedInformers; log?: Logger; workers?: number } = {}): Controller {
  const log = opts.log ?? stderrLogger;
  const informers = opts.informers ?? new SharedInformers(client, { log });
  const services = informers.informerFor(SERVICES, { [NAMESPACE_INDEX]: byNamespace });
  const pods = informers.informerFor(PODS, { [NAMESPACE_INDEX]: byNamespace });
  const slices = informers.informerFor(ENDPOINT_SLICES, { [SERVICE_NAME_INDEX]: managedSliceKey });
  const r = new EndpointSliceReconciler(client.resource(ENDPOINT_SLICES), services, pods, slices);
  slices.addHandler(r.expectationsHandler());
  return controllerFor(client, { name: 'endpointslice-controller', workers: opts.workers ?? 2, informers, log })
    .for(SERVICES)
    .watches(ENDPOINT_SLICES, managedSliceKey)
    .watches(PODS, (p) => servicesSelecting(services, p))
    .complete(r);
}

function endpoint(b: Backend): Obj {
  const e: Obj = {
    addresses: [b.ip],
    conditions: { ready: b.ready, serving: !b.terminating ? b.ready : isServing(b), terminating: b.terminating },
    targetRef: podRef(b.pod),
  };
  const node = section(b.pod, 'spec').nodeName;
  if (typeof node === 'string' && node) e.nodeName = node;
  const spec = section(b.pod, 'spec');
  if (typeof spec.hostname === 'string' && spec.hostname) e.hostname = spec.hostname;
  return e;
}

/** A terminating pod still serves while its Ready condition holds. */
const isServing = (b: Backend) => {
  const conds = section(b.pod, 'status').conditions;
  return Array.isArray(conds) && conds.some((c) => (c as Obj).type === 'Ready' && (c as Obj).status === 'True');
};

export class EndpointSliceReconciler {
  /** Slices created or deleted here that the informer has not shown yet (generateName makes duplicates otherwise). */
  private readonly expectations = new Expectations();

  expectationsHandler() {
    const observe = (s: KObject, gone: boolean) => {
      for (const key of managedSliceKey(s)) this.expectations.observe(key, s, gone);
    };
    return { onAdd: (s: KObject) => observe(s, false), onUpdate: (_o: KObject, s: KObject) => observe(s, false), onDelete: (s: KObject) => observe(s, true) };
  }

  constructor(
    private readonly writer: ResourceClient,
    private readonly services: Informer,
    private readonly pods: Informer,
    private readonly slices: Informer,
  ) {}

  async reconcile(key: string): Promise<void> {
    const { namespace } = splitKey(key);
    const svc = this.services.getByKey(key);
    const existing = this.expectations.view(key, this.slices.byIndex(SERVICE_NAME_INDEX, key)).filter((s) => !s.metadata.deletionTimestamp);
    // A gone Service's slices go with it (garbage collection through the owner reference).
    if (!svc || !serviceSelector(svc)) return this.expectations.forget(key);
    const stale = existing.filter((s) => !s.metadata.ownerReferences?.some((o) => o.uid === svc.metadata.uid));
    const mine = existing.filter((s) => !stale.includes(s));
    const desired = this.desiredSlices(svc);
    const labels = this.labels(svc);
    // Reuse slices with the same ports first, then any other, so churn stays low.
    const free = [...mine];
    const take = (ports: string): KObject | undefined => {
      const i = free.findIndex((s) => portsKey((s.ports as never[]) ?? []) === ports);
      const j = i >= 0 ? i : free.length ? 0 : -1;
      return j >= 0 ? free.splice(j, 1)[0] : undefined;
    };
    for (const d of desired) {
      const slice = take(d.key);
      const body = { addressType: 'IPv4', endpoints: d.endpoints, ports: d.ports };
      if (!slice) await this.create(key, svc, labels, body); else if (!deepEqual(slice.endpoints ?? [], d.endpoints) || !deepEqual(slice.ports ?? [], d.ports) || !deepEqual(slice.metadata.labels ?? {}, labels)) {
        await this.writer.update(namespace, { ...slice, metadata: { ...slice.metadata, labels }, ...body });
      }
    }
    // kube keeps one (empty) slice for a Service without endpoints.
    if (desired.length === 0 && free.length > 0 && mine.length === free.length) {
      const keep = free.shift()!;
      if ((keep.endpoints as unknown[] | undefined)?.length || (keep.ports as unknown[] | undefined)?.length) {
        await this.writer.update(namespace, { ...keep, metadata: { ...keep.metadata, labels }, addressType: 'IPv4', endpoints: [], ports: [] });
      }
    } else if (desired.length === 0 && mine.length === 0) {
      await this.create(key, svc, labels, { addressType: 'IPv4', endpoints: [], ports: [] });
    }
    for (const s of [...free, ...stale]) {
      await this.writer.delete(namespace, s.metadata.name!, { preconditions: { uid: s.metadata.uid } }).catch((e) => {
        if (!isNotFound(e) && (e as { code?: number }).code !== 409) throw e;
      });
      this.expectations.deleted(key, s.metadata.name!);
    }
  }

  private async create(key: string, svc: KObject, labels: Record<string, string>, body: Obj): Promise<void> {
    const namespace = svc.metadata.namespace;
    const metadata = { generateName: `${svc.metadata.name}-`, namespace, labels, ownerReferences: [controllerRef(svc)] };
    try {
      const made = await this.writer.create(namespace, { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, ...body });
      this.expectations.created(key, made);
    } catch (e) {
      // 403: the namespace is terminating.
      if (!isAlreadyExists(e) && (e as { code?: number }).code !== 403) throw e;
    }
  }

  private labels(svc: KObject): Record<string, string> {
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: svc.metadata.name!, [MANAGED_BY_LABEL]: ENDPOINTSLICE_CONTROLLER };
    if (section(svc, 'spec').clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    return labels;
  }

  private desiredSlices(svc: KObject): { key: string; ports: Obj[]; endpoints: Obj[] }[] {
    const groups = new Map<string, Backend[]>();
    for (const b of backends(svc, this.pods.byIndex(NAMESPACE_INDEX, svc.metadata.namespace ?? ''))) {
      const k = portsKey(b.ports);
      const g = groups.get(k);
      if (g) g.push(b);
      else groups.set(k, [b]);
    }
    const out: { key: string; ports: Obj[]; endpoints: Obj[] }[] = [];
    for (const [k, items] of groups) {
      // kube always sets a port's name (empty when the Service port has none); clients dereference it.
      const ports = items[0].ports.map((p) => ({ name: p.name ?? '', ...p }));
      for (let i = 0; i < items.length; i += MAX_ENDPOINTS_PER_SLICE) out.push({ key: k, ports, endpoints: items.slice(i, i + MAX_ENDPOINTS_PER_SLICE).map(endpoint) });
    }
    return out;
  }
}
