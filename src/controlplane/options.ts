// `workplane serve` options: flags, defaults, and the YAML config file whose
// keys follow the specs (e.g. runtime.kubernetes.workloadLabels), with
// environment overrides named as Kuma names them (KUMA_RUNTIME_KUBERNETES_...).

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { StoreKind } from '../storage/open-store.js';
import type { LogFormat } from '../logging/logger.js';
import type { WorkloadApi } from './workload-api.js';
import { AUTHORIZATION_MODES, type AuthorizationMode } from '../authz/create-authorizer.js';
import type { HttpLimits } from '../apiserver/http-limits.js';

export interface ServeOptions {
  dataDir: string;
  listen: string;
  storage: StoreKind;
  etcdEndpoints: string[];
  etcdPrefix?: string;
  /** Seals the cluster secrets kept in storage (one base64 32-byte key per line; the first seals). */
  secretsKeyFile?: string;
  /** Keep the cluster secrets in storage without encryption (no --secrets-key-file). */
  allowUnencryptedSecrets?: boolean;
  /** Names this replica (in-process node names, leader identity); default: see replica-name.ts. */
  replicaName?: string;
  config: Record<string, unknown>;
  /** group/version → enabled */
  runtimeConfig: Record<string, boolean>;
  featureGates: Record<string, boolean>;
  agentNodes: number;
  logLevel: string;
  /** The group a bare `workloads` means (discovery order); undefined: kuma.io, or the next served group. */
  workloadApi?: WorkloadApi;
  /** `text` (one readable line per record) or `json`; serveOptions defaults to json. */
  logFormat?: LogFormat;
  kubeconfigPath?: string;
  /** Serve the API (and bootstrap objects) only: no controllers, scheduler, agents,
   * identity or DP server. For tests that run those parts themselves. */
  apiOnly?: boolean;
  /** DP server port (default 5678, or a free port when --listen uses port 0). */
  dpPort?: number;
  /** Seconds without a node heartbeat before the node is Unknown (kube: 40). */
  nodeGracePeriodSeconds?: number;
  /** Default tolerationSeconds for not-ready/unreachable taints (kube: 300). */
  nodeEvictionSeconds?: number;
  /** Seconds of storage history kept for watches before compaction. */
  compactionIntervalSeconds: number;
  /** Connection limits of the HTTPS front (defaults: DEFAULT_HTTP_LIMITS). */
  httpLimits?: Partial<HttpLimits>;
  /** CIDR Services' cluster IPs come from (kube: 10.96.0.0/12). */
  serviceClusterIPRange?: string;
  /** MIN-MAX range of NodePort Services' node ports (kube: 30000-32767). */
  serviceNodePortRange?: string;
  /** RBAC (default) or AlwaysAllow (every authenticated user may do everything). */
  authorizationMode: AuthorizationMode;
  /** Audit log (off unless a path is given). */
  audit?: AuditOptions;
}

export interface AuditOptions {
  /** Where the JSON lines go; `-` for standard output. */
  logPath: string;
  /** kube Policy file choosing each request's level; without one nothing is logged. */
  policyFile?: string;
  /** Rotate at this many megabytes (0: never). */
  maxSizeMB: number;
  /** Rotated files kept (0: all). */
  maxBackups: number;
}

export function parseAuthorizationMode(text: string): AuthorizationMode {
  if ((AUTHORIZATION_MODES as readonly string[]).includes(text)) return text as AuthorizationMode;
  throw new Error(`--authorization-mode must be one of ${AUTHORIZATION_MODES.join(', ')}, not "${text}"`);
}

export const DEFAULT_FEATURE_GATES: Record<string, boolean> = { GenericWorkload: true, GangScheduling: true };

/** Parses `a=true,b=false` into a map; bad values throw with the flag named. */
export function parseBoolMap(flag: string, text: string | undefined): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  if (!text) return out;
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [k, v = 'true'] = part.split('=');
    if (v !== 'true' && v !== 'false') throw new Error(`invalid value for --${flag}: ${part} (expected NAME=true|false)`);
    out[k] = v === 'true';
  }
  return out;
}

export function loadConfigFile(path: string | undefined): Record<string, unknown> {
  if (!path) return {};
  const doc = parseYaml(readFileSync(path, 'utf8')) as unknown;
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`--config ${path}: expected a YAML mapping`);
  return doc as Record<string, unknown>;
}

/** Reads a dotted key from the config, then from KUMA_/WORKPLANE_ environment variables. */
export function configValue(config: Record<string, unknown>, dotted: string, env: NodeJS.ProcessEnv = process.env): unknown {
  const envName = dotted.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/\./g, '_').toUpperCase();
  for (const prefix of ['WORKPLANE_', 'KUMA_']) {
    const v = env[prefix + envName];
    if (v !== undefined) return v;
  }
  let cur: unknown = config;
  for (const seg of dotted.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

export function isGroupEnabled(opts: Pick<ServeOptions, 'runtimeConfig'>, gv: string, byDefault = true): boolean {
  const v = opts.runtimeConfig[gv] ?? opts.runtimeConfig[gv.split('/')[0]];
  return v ?? byDefault;
}

/** Options with every default filled in; tests and benchmarks pass only what they change. */
export function serveOptions(overrides: Partial<ServeOptions> = {}): ServeOptions {
  return {
    dataDir: '.workplane',
    listen: '127.0.0.1:0',
    storage: 'memory',
    etcdEndpoints: [],
    config: {},
    runtimeConfig: {},
    featureGates: { ...DEFAULT_FEATURE_GATES },
    agentNodes: 0,
    logLevel: 'warn',
    compactionIntervalSeconds: 300,
    nodeGracePeriodSeconds: 40,
    nodeEvictionSeconds: 300,
    authorizationMode: 'RBAC',
    ...overrides,
  };
}
