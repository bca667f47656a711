// The mesh settings of `workplane serve`, read once at start from the config
// file or the environment under Kuma's key names, so a Kuma user's
// configuration (YAML or KUMA_* variables) carries over unchanged.

import { configValue } from '../controlplane/options.js';
import { DEFAULT_SYSTEM_NAMESPACE } from '../api/kuma/labels.js';
import { parseGoDuration } from '../api/duration.js';
import { DEFAULT_MAX_TOKEN_VALIDITY_SECONDS } from '../dp/tokens/dataplane-token.js';

export interface MeshConfig {
  /** Pod labels that name a pod's workload, in priority order (`runtime.kubernetes.workloadLabels`). */
  workloadLabels: string[];
  /** Refuse pods that would put a second mesh in a namespace (`runtime.kubernetes.disallowMultipleMeshesPerNamespace`). */
  disallowMultipleMeshesPerNamespace: boolean;
  /** Home of MeshIdentity and MeshTrust (`store.kubernetes.systemNamespace`). */
  systemNamespace: string;
  /** Longest dataplane token validity granted (`dpServer.authn.dpProxy.dpToken.maxValidityDuration`, default 87600h as Kuma's token default). */
  dataplaneTokenMaxValiditySeconds?: number;
}

export const MESH_CONFIG_KEYS = {
  workloadLabels: 'runtime.kubernetes.workloadLabels',
  disallowMultipleMeshesPerNamespace: 'runtime.kubernetes.disallowMultipleMeshesPerNamespace',
  systemNamespace: 'store.kubernetes.systemNamespace',
  dataplaneTokenMaxValidity: 'dpServer.authn.dpProxy.dpToken.maxValidityDuration',
} as const;

export const DEFAULT_MESH_CONFIG: Readonly<MeshConfig> = Object.freeze({
  workloadLabels: [],
  disallowMultipleMeshesPerNamespace: false,
  systemNamespace: DEFAULT_SYSTEM_NAMESPACE,
  dataplaneTokenMaxValiditySeconds: DEFAULT_MAX_TOKEN_VALIDITY_SECONDS,
});

/** Throws with the key named when a value has the wrong shape: a typo should stop the start, not be ignored. */
export function loadMeshConfig(config: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): MeshConfig {
  const read = (k: keyof typeof MESH_CONFIG_KEYS) => configValue(config, MESH_CONFIG_KEYS[k], env);
  return {
    workloadLabels: stringList(MESH_CONFIG_KEYS.workloadLabels, read('workloadLabels')),
    disallowMultipleMeshesPerNamespace: boolean(
      MESH_CONFIG_KEYS.disallowMultipleMeshesPerNamespace,
      read('disallowMultipleMeshesPerNamespace'),
      DEFAULT_MESH_CONFIG.disallowMultipleMeshesPerNamespace,
    ),
    systemNamespace: string(MESH_CONFIG_KEYS.systemNamespace, read('systemNamespace'), DEFAULT_MESH_CONFIG.systemNamespace),
    dataplaneTokenMaxValiditySeconds: duration(MESH_CONFIG_KEYS.dataplaneTokenMaxValidity, read('dataplaneTokenMaxValidity'), DEFAULT_MAX_TOKEN_VALIDITY_SECONDS),
  };
}

// Environment variables carry lists comma-separated (as Kuma reads them); YAML gives a sequence.
function stringList(key: string, v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  const items = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : undefined;
  if (!items || items.some((s) => typeof s !== 'string')) throw new Error(`config ${key}: expected a list of strings`);
  return (items as string[]).map((s) => s.trim()).filter((s) => s !== '');
}

function boolean(key: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null || v === '') return dflt;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new Error(`config ${key}: expected true or false, got ${JSON.stringify(v)}`);
}

function string(key: string, v: unknown, dflt: string): string {
  if (v === undefined || v === null || v === '') return dflt;
  if (typeof v !== 'string') throw new Error(`config ${key}: expected a string`);
  return v;
}

/** A Go duration (`720h`) in whole seconds; at least one second. */
function duration(key: string, v: unknown, dfltSeconds: number): number {
  if (v === undefined || v === null || v === '') return dfltSeconds;
  let ms: number;
  try {
    ms = parseGoDuration(String(v));
  } catch (e) {
    throw new Error(`config ${key}: ${(e as Error).message}`);
  }
  if (ms < 1000) throw new Error(`config ${key}: must be at least 1s, got ${JSON.stringify(v)}`);
  return Math.floor(ms / 1000);
}
