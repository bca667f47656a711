// Which API group a bare `workloads` (and `workload`) means. kubectl resolves
// a name several groups serve by discovery order, so the chosen group's
// kinds are served ahead of the other Workload groups; everything else keeps
// its place. Mesh users keep the default (kuma.io, seeds 000-002); Datum
// users pick compute (seed 003); short names (wl, cwl, swl) are unique
// whichever group is chosen.

import type { ResourceDefinition } from '../api/definition.js';
import { configValue } from './options.js';

export const WORKLOAD_API_GROUPS = {
  kuma: 'kuma.io',
  compute: 'compute.miloapis.com',
  scheduling: 'scheduling.k8s.io',
} as const;
export type WorkloadApi = keyof typeof WORKLOAD_API_GROUPS;
export const DEFAULT_WORKLOAD_API: WorkloadApi = 'kuma';
/** The config-file key (`workloadApi: compute`); `WORKPLANE_WORKLOAD_API` in the environment. */
export const WORKLOAD_API_CONFIG_KEY = 'workloadApi';

const WORKLOAD_GROUPS = new Set<string>(Object.values(WORKLOAD_API_GROUPS));

/** Whether `def` is one of the Workload kinds that share the name `workloads`. */
export const isWorkloadKind = (def: Pick<ResourceDefinition, 'group' | 'kind'>): boolean => def.kind === 'Workload' && WORKLOAD_GROUPS.has(def.group);

export function parseWorkloadApi(value: unknown, source: string): WorkloadApi {
  if (typeof value === 'string' && Object.hasOwn(WORKLOAD_API_GROUPS, value)) return value as WorkloadApi;
  throw new Error(`${source} must be kuma, compute or scheduling, not ${JSON.stringify(value)}`);
}

/** The flag wins over the config file (and its environment variable); undefined when neither says. */
export function workloadApiFrom(flag: string | undefined, config: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): WorkloadApi | undefined {
  if (flag !== undefined) return parseWorkloadApi(flag, '--workload-api');
  const v = configValue(config, WORKLOAD_API_CONFIG_KEY, env);
  return v === undefined || v === null || v === '' ? undefined : parseWorkloadApi(v, `config ${WORKLOAD_API_CONFIG_KEY}`);
}

/**
 * Serves the chosen group's definitions ahead of the other Workload groups
 * (at the place of the first of them); the rest keep their order. Throws
 * when the chosen group is not served at all (switched off), since a bare
 * `workloads` would then silently mean something else.
 */
export function orderForWorkloadApi(defs: ResourceDefinition[], api: WorkloadApi | undefined): ResourceDefinition[] {
  if (api === undefined) return defs;
  const group = WORKLOAD_API_GROUPS[api];
  if (!defs.some((d) => d.group === group && isWorkloadKind(d))) {
    throw new Error(`--workload-api ${api}: ${group} Workloads are not served (switched off by --runtime-config or a feature gate)`);
  }
  const chosen = defs.filter((d) => d.group === group);
  const rest = defs.filter((d) => d.group !== group);
  const next = rest.findIndex((d) => WORKLOAD_GROUPS.has(d.group));
  rest.splice(next < 0 ? defs.indexOf(chosen[0]!) : next, 0, ...chosen);
  return rest;
}

/** The group a bare `workloads` resolves to: the first Workload kind in discovery order. */
export function bareWorkloadGroup(defs: readonly ResourceDefinition[]): string | undefined {
  return defs.find(isWorkloadKind)?.group;
}
