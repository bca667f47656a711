// `workplane serve`: parses flags, starts the control plane, prints the ready
// line (tests and users wait for it), and stops cleanly on SIGINT/SIGTERM.

import { parseArgs } from 'node:util';
import { startControlPlane } from '../controlplane/control-plane.js';
import { secretsOptionsError } from '../controlplane/cluster-credentials.js';
import { replicaNameError } from '../controlplane/replica-name.js';
import { parseLogFormat } from '../logging/logger.js';
import { workloadApiFrom } from '../controlplane/workload-api.js';
import { DEFAULT_FEATURE_GATES, loadConfigFile, parseAuthorizationMode, parseBoolMap, type ServeOptions } from '../controlplane/options.js';
import { serviceRanges } from '../controllers/services/service-ranges.js';

const help = `workplane serve: run the control plane

Flags:
  --data-dir DIR             data directory (default ./.workplane)
  --listen HOST:PORT         listen address (default 127.0.0.1:6443; port 0 picks a free port)
  --storage KIND             sqlite (default) | memory | etcd
  --etcd-endpoints URLS      comma-separated etcd endpoints (with --storage etcd)
  --etcd-prefix PREFIX       key prefix inside etcd (default none)
  --secrets-key-file FILE    keep the CA, token signing key and admin token in storage, AES-GCM
                             encrypted with this key (base64, 32 bytes; the same file on every replica)
  --allow-unencrypted-secrets  keep them in storage unencrypted (etcd without --secrets-key-file)
  --replica-name NAME        this replica's name: in-process node names NAME-node-<i>, leader identity
                             (default with etcd: HOSTNAME-<digest of the data dir>; otherwise nodes are node-<i>)
  --config FILE              YAML configuration (keys as in the specs)
  --runtime-config LIST      GROUP/VERSION=true|false,... to switch API groups on or off
  --feature-gates LIST       NAME=true|false,... (GenericWorkload, GangScheduling)
  --agent-nodes N            in-process simulated nodes (default 3; 0 for none)
  --workload-api API         what a bare "kubectl get workloads" means: kuma (default) | compute | scheduling
                             (config key workloadApi); wl, cwl and swl always name one group each
  --kubeconfig FILE          where to write the admin kubeconfig (default DATA_DIR/kubeconfig)
  --compaction-interval S    seconds between storage compactions (default 300)
  --dp-port PORT             DP server (gRPC/TLS) port for data plane proxies (default 5678; 0 = free)
  --node-grace-period S      seconds without heartbeat before a node is Unknown (default 40)
  --node-eviction-seconds S  default toleration of not-ready/unreachable nodes (default 300)
  --authorization-mode MODE  RBAC (default) | AlwaysAllow (every authenticated user may do everything)
  --audit-log-path FILE      write the audit log (JSON lines, audit.k8s.io/v1 Events) here; - for stdout
  --audit-policy-file FILE   audit Policy (audit.k8s.io/v1) choosing each request's level
  --audit-log-maxsize MB     rotate the audit log at this size (default 100; 0 never)
  --audit-log-maxbackup N    rotated audit logs kept (default 10; 0 all)
  --service-cluster-ip-range CIDR  cluster IPs of Services (default 10.96.0.0/12)
  --service-node-port-range R      node ports of NodePort Services, MIN-MAX (default 30000-32767)
  --min-request-timeout S    a watch without timeoutSeconds ends after S to 2×S seconds, as kube's
                             (default 1800; 0 never); clients then watch again from where they were
  --log-level LEVEL          pino level (default info)
  --log-format FORMAT        text (one readable line per record) | json (default: text when stderr is a terminal, else json)`;

export function parseServeArgs(args: string[]): ServeOptions | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string', default: '.workplane' },
      listen: { type: 'string', default: '127.0.0.1:6443' },
      storage: { type: 'string', default: 'sqlite' },
      'etcd-endpoints': { type: 'string' },
      'etcd-prefix': { type: 'string' },
      'secrets-key-file': { type: 'string' },
      'allow-unencrypted-secrets': { type: 'boolean' },
      'replica-name': { type: 'string' },
      config: { type: 'string' },
      'runtime-config': { type: 'string', multiple: true },
      'feature-gates': { type: 'string', multiple: true },
      'agent-nodes': { type: 'string', default: '3' },
      'workload-api': { type: 'string' },
      kubeconfig: { type: 'string' },
      'compaction-interval': { type: 'string', default: '300' },
      'node-grace-period': { type: 'string', default: '40' },
      'dp-port': { type: 'string' },
      'node-eviction-seconds': { type: 'string', default: '300' },
      'service-cluster-ip-range': { type: 'string', default: '10.96.0.0/12' },
      'service-node-port-range': { type: 'string', default: '30000-32767' },
      'min-request-timeout': { type: 'string', default: '1800' },
      'log-level': { type: 'string', default: process.env.WORKPLANE_LOG_LEVEL ?? 'info' },
      'log-format': { type: 'string', default: process.env.WORKPLANE_LOG_FORMAT },
      'authorization-mode': { type: 'string', default: 'RBAC' },
      'audit-log-path': { type: 'string' },
      'audit-policy-file': { type: 'string' },
      'audit-log-maxsize': { type: 'string', default: '100' },
      'audit-log-maxbackup': { type: 'string', default: '10' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const storage = values.storage!;
  if (storage !== 'sqlite' && storage !== 'memory' && storage !== 'etcd') throw new Error(`--storage must be sqlite, memory or etcd, not "${storage}"`);
  const endpoints = (values['etcd-endpoints'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (storage === 'etcd' && endpoints.length === 0) throw new Error('--storage etcd needs --etcd-endpoints');
  const secrets: Pick<ServeOptions, 'storage' | 'secretsKeyFile' | 'allowUnencryptedSecrets'> = { storage, secretsKeyFile: values['secrets-key-file'], allowUnencryptedSecrets: values['allow-unencrypted-secrets'] };
  const secretsProblem = secretsOptionsError(secrets);
  if (secretsProblem) throw new Error(secretsProblem);
  const replicaName = values['replica-name'];
  const badName = replicaName === undefined ? undefined : replicaNameError(replicaName);
  if (badName) throw new Error(`--replica-name "${replicaName}": ${badName}`);
  const agentNodes = Number(values['agent-nodes']);
  if (!Number.isInteger(agentNodes) || agentNodes < 0) throw new Error('--agent-nodes must be a non-negative integer');
  const interval = Number(values['compaction-interval']);
  if (!Number.isFinite(interval) || interval < 0) throw new Error('--compaction-interval must be a non-negative number of seconds');
  const config = loadConfigFile(values.config);
  serviceRanges(values['service-cluster-ip-range'], values['service-node-port-range']); // refuses bad ranges before anything starts
  return {
    dataDir: values['data-dir']!,
    listen: values.listen!,
    storage,
    etcdEndpoints: endpoints,
    etcdPrefix: values['etcd-prefix'],
    secretsKeyFile: secrets.secretsKeyFile,
    allowUnencryptedSecrets: secrets.allowUnencryptedSecrets,
    replicaName,
    config,
    workloadApi: workloadApiFrom(values['workload-api'], config),
    runtimeConfig: parseBoolMap('runtime-config', (values['runtime-config'] ?? []).join(',')),
    featureGates: { ...DEFAULT_FEATURE_GATES, ...parseBoolMap('feature-gates', (values['feature-gates'] ?? []).join(',')) },
    agentNodes,
    logLevel: values['log-level']!,
    logFormat: parseLogFormat(values['log-format']),
    kubeconfigPath: values.kubeconfig,
    compactionIntervalSeconds: interval,
    dpPort: values['dp-port'] === undefined ? undefined : positive('dp-port', values['dp-port']),
    nodeGracePeriodSeconds: positive('node-grace-period', values['node-grace-period']!),
    nodeEvictionSeconds: positive('node-eviction-seconds', values['node-eviction-seconds']!),
    authorizationMode: parseAuthorizationMode(values['authorization-mode']!),
    audit: values['audit-log-path']
      ? {
          logPath: values['audit-log-path'],
          policyFile: values['audit-policy-file'],
          maxSizeMB: count('audit-log-maxsize', values['audit-log-maxsize']!),
          maxBackups: count('audit-log-maxbackup', values['audit-log-maxbackup']!),
        }
      : undefined,
    serviceClusterIPRange: values['service-cluster-ip-range'],
    serviceNodePortRange: values['service-node-port-range'],
    httpLimits: { minRequestTimeoutSeconds: count('min-request-timeout', values['min-request-timeout']!) },
  };
}

function count(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be a non-negative integer`);
  return n;
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} must be a non-negative number of seconds`);
  return n;
}

export async function runServe(args: string[]): Promise<number> {
  const opts = parseServeArgs(args);
  if (opts === 'help') {
    console.log(help);
    return 0;
  }
  const cp = await startControlPlane(opts);
  console.log(`workplane ready at ${cp.url} (storage: ${opts.storage}); kubeconfig: ${cp.kubeconfigPath}`);
  console.log(`  try: KUBECONFIG=${cp.kubeconfigPath} kubectl get namespaces`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('workplane: shutting down');
  await cp.stop();
  return 0;
}
