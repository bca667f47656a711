// Resolves a container's environment as kubelet does before starting it:
// envFrom first, then env in order (later names override earlier ones), with
// values from Secrets, ConfigMaps, the pod's own fields and its resources, and
// `$(VAR)` references expanded. A missing non-optional source is a
// ContainerConfigError carrying kubelet's message, which the pod shows as
// `CreateContainerConfigError` until the source appears.

import type { KObject } from '../api/object.js';
import { parseQuantity } from '../api/quantity.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export class ContainerConfigError extends Error {}

/** Reads Secrets and ConfigMaps (undefined when absent); callers cache per pod. */
export interface ConfigLookup {
  secret(namespace: string, name: string): Promise<KObject | undefined>;
  configMap(namespace: string, name: string): Promise<KObject | undefined>;
}

export interface EnvContext {
  pod: KObject;
  hostIP: string;
  podIP: string;
  /** Node allocatable, for resourceFieldRef limits a container leaves unset. */
  allocatable: Record<string, string>;
  lookup: ConfigLookup;
}

/** Expands `$(NAME)` from `vars`; unknown references stay as written and `$$` is a literal `$`. */
export function expandVars(input: string, vars: Map<string, string>): string {
  if (!input.includes('$')) return input;
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c === '$' && input[i + 1] === '$') {
      out += '$';
      i++;
    } else if (c === '$' && input[i + 1] === '(') {
      const end = input.indexOf(')', i + 2);
      if (end < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, end);
      out += vars.get(name) ?? `$(${name})`;
      i = end;
    } else out += c;
  }
  return out;
}

const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');

/** Key → value of a Secret (decoded) or ConfigMap (data and binaryData). */
function entries(source: KObject, secret: boolean): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj(source.data))) out.set(k, secret ? decode(str(v)) : str(v));
  if (!secret) for (const [k, v] of Object.entries(obj(source.binaryData))) out.set(k, decode(str(v)));
  return out;
}

async function source(ctx: EnvContext, secret: boolean, name: string): Promise<KObject | undefined> {
  const ns = ctx.pod.metadata.namespace ?? 'default';
  return secret ? ctx.lookup.secret(ns, name) : ctx.lookup.configMap(ns, name);
}

const kindWord = (secret: boolean) => (secret ? 'secret' : 'configmap');

async function keyRef(ctx: EnvContext, ref: Obj, secret: boolean): Promise<string | undefined> {
  const name = str(ref.name);
  const key = str(ref.key);
  const optional = ref.optional === true;
  const src = await source(ctx, secret, name);
  if (!src) {
    if (optional) return undefined;
    throw new ContainerConfigError(`${kindWord(secret)} "${name}" not found`);
  }
  const value = entries(src, secret).get(key);
  if (value === undefined && !optional) {
    throw new ContainerConfigError(`couldn't find key ${key} in ${secret ? 'Secret' : 'ConfigMap'} ${ctx.pod.metadata.namespace}/${name}`);
  }
  return value;
}

function fieldRef(ctx: EnvContext, ref: Obj): string {
  const path = str(ref.fieldPath);
  const m = ctx.pod.metadata;
  const spec = obj(ctx.pod.spec);
  const keyed = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (keyed) return (keyed[1] === 'labels' ? m.labels : m.annotations)?.[keyed[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return m.name ?? '';
    case 'metadata.namespace':
      return m.namespace ?? '';
    case 'metadata.uid':
      return m.uid ?? '';
    case 'spec.nodeName':
      return str(spec.nodeName);
    case 'spec.serviceAccountName':
      return str(spec.serviceAccountName);
    case 'status.hostIP':
    case 'status.hostIPs':
      return ctx.hostIP;
    case 'status.podIP':
    case 'status.podIPs':
      return ctx.podIP;
    default:
      throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
  }
}

function resourceRef(ctx: EnvContext, ref: Obj, container: Obj): string {
  const containers = Array.isArray(obj(ctx.pod.spec).containers) ? (obj(ctx.pod.spec).containers as Obj[]) : [];
  const target = ref.containerName ? containers.find((c) => c.name === ref.containerName) ?? container : container;
  const [kind, resource] = str(ref.resource).split('.', 2);
  const set = str(obj(obj(target.resources)[kind])[resource]);
  const value = set || (kind === 'limits' ? ctx.allocatable[resource] ?? '0' : '0');
  const divisor = parseQuantity(str(ref.divisor) || '1') || 1;
  return String(Math.ceil(parseQuantity(value) / divisor));
}

async function envFrom(ctx: EnvContext, item: Obj, vars: Map<string, string>): Promise<void> {
  const secret = item.secretRef !== undefined;
  const ref = obj(secret ? item.secretRef : item.configMapRef);
  const name = str(ref.name);
  const src = await source(ctx, secret, name);
  if (!src) {
    if (ref.optional === true) return;
    throw new ContainerConfigError(`${kindWord(secret)} "${name}" not found`);
  }
  const prefix = str(item.prefix);
  // kubelet skips keys that cannot be variable names rather than failing the container.
  for (const [k, v] of entries(src, secret)) if (k && !k.includes('=')) vars.set(prefix + k, v);
}

/** The container's environment in order; throws ContainerConfigError when a source is missing. */
export async function resolveEnv(ctx: EnvContext, container: Obj): Promise<{ name: string; value: string }[]> {
  const vars = new Map<string, string>();
  for (const item of Array.isArray(container.envFrom) ? (container.envFrom as Obj[]) : []) await envFrom(ctx, item, vars);
  for (const e of Array.isArray(container.env) ? (container.env as Obj[]) : []) {
    const name = str(e.name);
    const from = obj(e.valueFrom);
    let value: string | undefined;
    if (from.secretKeyRef) value = await keyRef(ctx, obj(from.secretKeyRef), true);
    else if (from.configMapKeyRef) value = await keyRef(ctx, obj(from.configMapKeyRef), false);
    else if (from.fieldRef) value = fieldRef(ctx, obj(from.fieldRef));
    else if (from.resourceFieldRef) value = resourceRef(ctx, obj(from.resourceFieldRef), container);
    else value = expandVars(str(e.value), vars);
    if (value !== undefined) vars.set(name, value);
  }
  return [...vars].map(([name, value]) => ({ name, value }));
}
