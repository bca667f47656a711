// Service (core/v1): a stable virtual IP and ports in front of the pods its
// selector matches. Cluster IPs and node ports are allocated by an admission
// plugin (controllers/services); this definition defaults, validates and
// prints, and carries allocated values over on updates that omit them.

import { Type } from '@sinclair/typebox';
import { defineResource, type OperationContext, type ResourceDefinition } from '../definition.js';
import { isPlainObject, type KObject } from '../object.js';
import { opt } from '../schemas/index.js';
import { ageColumn, nameColumn, section } from './columns.js';
import { ServiceSpecSchema, ServiceStatusSchema } from './service-schema.js';
import { isHeadless, usesNodePorts, validateService, validateServiceUpdate } from './service-validation.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isPlainObject) : []);
const unset = (v: unknown) => v === undefined || v === null || v === '';

export function defaultServiceSpec(spec: Obj): void {
  if (unset(spec.type)) spec.type = 'ClusterIP';
  if (unset(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  for (const p of list(spec.ports)) {
    if (unset(p.protocol)) p.protocol = 'TCP';
    if (unset(p.targetPort) || p.targetPort === 0) p.targetPort = p.port;
  }
  if (spec.type === 'ExternalName') return;
  if (unset(spec.internalTrafficPolicy)) spec.internalTrafficPolicy = 'Cluster';
  if ((spec.type === 'NodePort' || spec.type === 'LoadBalancer') && unset(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && unset(spec.allocateLoadBalancerNodePorts)) spec.allocateLoadBalancerNodePorts = true;
  if (!unset(spec.clusterIP) && (unset(spec.clusterIPs) || !Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0)) spec.clusterIPs = [spec.clusterIP];
  if (unset(spec.clusterIP) && Array.isArray(spec.clusterIPs) && typeof spec.clusterIPs[0] === 'string') spec.clusterIP = spec.clusterIPs[0];
  if (unset(spec.ipFamilyPolicy)) spec.ipFamilyPolicy = 'SingleStack';
  if (unset(spec.ipFamilies)) spec.ipFamilies = ['IPv4'];
}

/** An update that leaves out allocated values (a `kubectl replace` of the original manifest) keeps them. */
function carryAllocations(spec: Obj, was: Obj): void {
  if (spec.type !== 'ExternalName' && was.type !== 'ExternalName' && unset(spec.clusterIP) && !unset(was.clusterIP)) {
    spec.clusterIP = was.clusterIP;
    spec.clusterIPs = was.clusterIPs;
  }
  if (!usesNodePorts(spec)) return;
  const old = new Map(list(was.ports).map((p) => [`${String(p.port)}/${String(p.protocol ?? 'TCP')}`, p.nodePort]));
  for (const p of list(spec.ports)) {
    const prior = old.get(`${String(p.port)}/${String(p.protocol ?? 'TCP')}`);
    if ((unset(p.nodePort) || p.nodePort === 0) && typeof prior === 'number') p.nodePort = prior;
  }
}

function prepareForUpdate(svc: KObject, old: KObject, ctx: OperationContext): void {
  if (ctx.subresource === 'status') return;
  if (!isPlainObject(svc.spec)) svc.spec = {};
  const spec = svc.spec as Obj;
  defaultServiceSpec(spec);
  carryAllocations(spec, section(old, 'spec'));
  if (spec.type !== 'ExternalName' && !unset(spec.clusterIP) && (!Array.isArray(spec.clusterIPs) || spec.clusterIPs[0] !== spec.clusterIP)) spec.clusterIPs = [spec.clusterIP];
  if (spec.type === 'ExternalName') {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    delete spec.ipFamilies;
    delete spec.ipFamilyPolicy;
  }
  if (!usesNodePorts(spec)) for (const p of list(spec.ports)) delete p.nodePort;
}

export function servicePortsCell(svc: KObject): string {
  const ports = list(section(svc, 'spec').ports);
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${String(p.port)}${typeof p.nodePort === 'number' && p.nodePort > 0 ? `:${p.nodePort}` : ''}/${String(p.protocol ?? 'TCP')}`).join(',');
}

function externalIPCell(svc: KObject): string {
  const spec = section(svc, 'spec');
  const external = Array.isArray(spec.externalIPs) ? (spec.externalIPs as string[]) : [];
  if (spec.type === 'ExternalName') return String(spec.externalName ?? '');
  if (spec.type === 'LoadBalancer') {
    const lbStatus = section(svc, 'status').loadBalancer;
    const ingress = list(isPlainObject(lbStatus) ? lbStatus.ingress : undefined);
    const lb = ingress.map((i) => String(i.ip ?? i.hostname ?? '')).filter(Boolean);
    const all = [...lb, ...external];
    return all.length ? all.join(',') : '<pending>';
  }
  return external.length ? external.join(',') : '<none>';
}

function selectorCell(svc: KObject): string {
  const sel = section(svc, 'spec').selector;
  if (!isPlainObject(sel) || Object.keys(sel).length === 0) return '<none>';
  return Object.entries(sel).map(([k, v]) => `${k}=${String(v)}`).join(',');
}

export const serviceDefinition: ResourceDefinition = defineResource({
  group: '',
  version: 'v1',
  kind: 'Service',
  plural: 'services',
  singular: 'service',
  shortNames: ['svc'],
  categories: ['all'],
  namespaced: true,
  strategicMerge: true,
  nameFormat: 'dns1035-label',
  description: 'A named abstraction of software service: a virtual IP and ports in front of the pods its selector matches.',
  schema: Type.Object({ spec: opt(ServiceSpecSchema), status: opt(ServiceStatusSchema) }, { description: 'A Service.' }),
  subresources: { status: true },
  columns: [
    nameColumn,
    { name: 'Type', type: 'string', description: 'The type of the service.', value: (s) => String(section(s, 'spec').type ?? '') },
    { name: 'Cluster-IP', type: 'string', description: 'The virtual IP of the service.', value: (s) => (isHeadless(section(s, 'spec')) ? 'None' : String(section(s, 'spec').clusterIP ?? '<none>')) },
    { name: 'External-IP', type: 'string', description: 'External addresses of the service.', value: externalIPCell },
    { name: 'Port(s)', type: 'string', description: 'Ports the service exposes.', value: servicePortsCell },
    ageColumn,
    { name: 'Selector', type: 'string', priority: 1, description: 'Pods the service routes to.', value: selectorCell },
  ],
  strategy: {
    prepareForCreate: (svc) => {
      if (!isPlainObject(svc.spec)) svc.spec = {};
      defaultServiceSpec(svc.spec as Obj);
      svc.status = { loadBalancer: {} };
    },
    validate: validateService,
    prepareForUpdate,
    validateUpdate: (svc, old, ctx) => (ctx.subresource === 'status' ? [] : validateServiceUpdate(svc, old)),
  },
});
