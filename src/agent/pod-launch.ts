// Turns a pod bound to one of our nodes into what a runtime runs: each
// container's environment resolved (Secrets, ConfigMaps, fieldRefs) and its
// command and args expanded with it, as kubelet does. Secrets and ConfigMaps
// are read once per launch even when several containers use them.

import type { KObject } from '../api/object.js';
import type { Client, ResourceClient } from '../client/types.js';
import { ContainerConfigError, expandVars, resolveEnv, type ConfigLookup } from './env-resolver.js';
import type { ContainerLaunch, PodLaunch } from './runtime/types.js';

type Obj = Record<string, unknown>;
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.map(String) : undefined);

const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const CONFIG_MAPS = { group: '', version: 'v1', resource: 'configmaps' };

/** A ConfigLookup that remembers what it read (including absence) for one launch. */
export function cachedLookup(client: Client): ConfigLookup {
  const seen = new Map<string, Promise<KObject | undefined>>();
  let secrets: ResourceClient | undefined;
  let configMaps: ResourceClient | undefined;
  const read = (rc: () => ResourceClient, kind: string, ns: string, name: string) => {
    const key = `${kind}/${ns}/${name}`;
    let p = seen.get(key);
    if (!p) seen.set(key, (p = rc().get(ns, name)));
    return p;
  };
  return {
    secret: (ns, name) => read(() => (secrets ??= client.resource(SECRETS)), 's', ns, name),
    configMap: (ns, name) => read(() => (configMaps ??= client.resource(CONFIG_MAPS)), 'c', ns, name),
  };
}

export interface LaunchContext {
  hostIP: string;
  podIP: string;
  allocatable: Record<string, string>;
  lookup: ConfigLookup;
}

export type LaunchResult = { launch: PodLaunch } | { errors: Map<string, string> };

/** The launch, or each failing container's CreateContainerConfigError message. */
export async function buildLaunch(pod: KObject, ctx: LaunchContext): Promise<LaunchResult> {
  const spec = (pod.spec ?? {}) as Obj;
  const containers: ContainerLaunch[] = [];
  const errors = new Map<string, string>();
  for (const c of list(spec.containers)) {
    const name = String(c.name ?? '');
    let env: { name: string; value: string }[];
    try {
      env = await resolveEnv({ pod, ...ctx }, c);
    } catch (e) {
      if (!(e instanceof ContainerConfigError)) throw e;
      errors.set(name, e.message);
      continue;
    }
    const vars = new Map(env.map((e) => [e.name, e.value]));
    const launch: ContainerLaunch = {
      name,
      image: String(c.image ?? ''),
      env,
      ports: list(c.ports).map((p) => ({ containerPort: Number(p.containerPort), protocol: p.protocol as string | undefined, name: p.name as string | undefined })),
    };
    const command = strings(c.command)?.map((s) => expandVars(s, vars));
    const args = strings(c.args)?.map((s) => expandVars(s, vars));
    if (command) launch.command = command;
    if (args) launch.args = args;
    if (typeof c.workingDir === 'string' && c.workingDir) launch.workingDir = c.workingDir;
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
      if (c[probe] && typeof c[probe] === 'object') launch[probe] = c[probe] as Record<string, unknown>;
    }
    containers.push(launch);
  }
  if (errors.size) return { errors };
  const policy = spec.restartPolicy;
  const grace = spec.terminationGracePeriodSeconds;
  return {
    launch: {
      uid: pod.metadata.uid ?? '',
      namespace: pod.metadata.namespace ?? 'default',
      name: pod.metadata.name ?? '',
      nodeName: String(spec.nodeName ?? ''),
      restartPolicy: policy === 'OnFailure' || policy === 'Never' ? policy : 'Always',
      terminationGracePeriodSeconds: typeof grace === 'number' ? grace : 30,
      containers,
      pod,
    },
  };
}
