// Validation of core/v1 Service with kube's rules and messages: type, ports
// (range, names, protocols, target ports, node ports), cluster IPs, the
// ExternalName form, and what may not change once set.

import { fieldError, type FieldError } from '../errors.js';
import { isPlainObject, type KObject } from '../object.js';
import { parseIpv4 } from '../compute/cidr.js';
import { index, invalidEach } from '../validation/field.js';
import { isDNS1123Label, isDNS1123Subdomain, isValidPortName, isValidPortNum } from '../validation/names.js';
import { validateLabels } from '../validation/object-meta.js';
import { section } from './columns.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.map((x) => (isPlainObject(x) ? x : {})) : []);

export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

export const isHeadless = (spec: Obj) => spec.clusterIP === 'None';
export const usesNodePorts = (spec: Obj) => spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);

function validatePorts(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const ports = list(spec.ports);
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p, i) => {
    const path = index('spec.ports', i);
    const name = typeof p.name === 'string' ? p.name : '';
    if (ports.length > 1 && name === '') errs.push(fieldError.required(`${path}.name`));
    if (name !== '') {
      errs.push(...invalidEach(`${path}.name`, name, isDNS1123Label(name)));
      if (names.has(name)) errs.push(fieldError.duplicate(`${path}.name`, name));
      names.add(name);
    }
    errs.push(...invalidEach(`${path}.port`, p.port, isValidPortNum(Number(p.port))));
    const protocol = p.protocol ?? 'TCP';
    if (!PROTOCOLS.includes(String(protocol))) errs.push(fieldError.notSupported(`${path}.protocol`, protocol, PROTOCOLS));
    const key = `${String(p.port)}/${String(protocol)}`;
    if (keys.has(key)) errs.push(fieldError.duplicate(path, { port: p.port, protocol }));
    keys.add(key);
    const target = p.targetPort;
    if (typeof target === 'number') errs.push(...invalidEach(`${path}.targetPort`, target, isValidPortNum(target)));
    else if (typeof target === 'string') errs.push(...invalidEach(`${path}.targetPort`, target, isValidPortName(target)));
    if (p.nodePort !== undefined && p.nodePort !== null && p.nodePort !== 0) {
      if (!usesNodePorts(spec)) errs.push(fieldError.forbidden(`${path}.nodePort`, `may not be used when \`type\` is '${String(spec.type)}'`));
      else errs.push(...invalidEach(`${path}.nodePort`, p.nodePort, isValidPortNum(Number(p.nodePort))));
    }
  });
  return errs;
}

export function validateServiceSpec(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const type = spec.type;
  if (!SERVICE_TYPES.includes(String(type))) errs.push(fieldError.notSupported('spec.type', type, SERVICE_TYPES));
  if (type === 'ExternalName') {
    const name = spec.externalName;
    if (typeof name !== 'string' || name === '') errs.push(fieldError.required('spec.externalName'));
    else errs.push(...invalidEach('spec.externalName', name, isDNS1123Subdomain(name.replace(/\.$/, ''))));
    if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '') errs.push(fieldError.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
  } else if (!isHeadless(spec) && list(spec.ports).length === 0) errs.push(fieldError.required('spec.ports'));
  errs.push(...validatePorts(spec));
  const ip = spec.clusterIP;
  if (typeof ip === 'string' && ip !== '' && ip !== 'None' && parseIpv4(ip) === undefined) {
    errs.push(fieldError.invalid('spec.clusterIPs[0]', ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  }
  if (ip === 'None' && (type === 'NodePort' || type === 'LoadBalancer')) {
    errs.push(fieldError.invalid('spec.clusterIPs[0]', ip, `may not be set to 'None' for ${String(type)} services`));
  }
  if (isPlainObject(spec.selector)) errs.push(...validateLabels(spec.selector as Record<string, string>, 'spec.selector'));
  const affinity = spec.sessionAffinity;
  if (affinity !== undefined && affinity !== 'None' && affinity !== 'ClientIP') errs.push(fieldError.notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  for (const f of ['externalTrafficPolicy', 'internalTrafficPolicy']) {
    const v = spec[f];
    if (v !== undefined && v !== 'Cluster' && v !== 'Local') errs.push(fieldError.notSupported(`spec.${f}`, v, ['Cluster', 'Local']));
  }
  return errs;
}

export function validateService(svc: KObject): FieldError[] {
  return validateServiceSpec(section(svc, 'spec'));
}

export function validateServiceUpdate(svc: KObject, old: KObject): FieldError[] {
  const spec = section(svc, 'spec');
  const was = section(old, 'spec');
  const errs = validateServiceSpec(spec);
  // The IP stays while the service keeps one; switching to or from ExternalName frees or allocates it.
  const keepsIP = spec.type !== 'ExternalName' && was.type !== 'ExternalName';
  if (keepsIP && typeof was.clusterIP === 'string' && was.clusterIP !== '' && spec.clusterIP !== was.clusterIP) {
    errs.push(fieldError.invalid('spec.clusterIPs[0]', spec.clusterIP ?? '', 'may not change once set'));
  }
  return errs;
}
