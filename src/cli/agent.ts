// `workplane agent`: a node agent in its own process, reaching the API server
// over HTTPS (flags or a kubeconfig). The credential it is given (an admin
// kubeconfig, or a bootstrap token from `workplane token node`) only gets each
// node its client certificate (system:node:<name>, through a CSR); from then
// on every node talks as itself. It registers its nodes (refusing a node
// another live agent serves), says so, runs until SIGINT/SIGTERM and then
// simply stops: Nodes stay, their leases just stop being renewed. Process
// nodes run commands, not images, so they register tainted (see
// node-object.ts) unless --taints says otherwise. With the
// process runtime it also serves pod logs to the API server on
// --node-ip:--log-port (the node's kubeletEndpoint), with each node's serving
// certificate, to the API server's client certificate only.

import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLogServer } from '../agent/log-server/index.js';
import type { LogSource } from '../agent/log-source.js';
import { NodeAgent, type NodeAgentOptions } from '../agent/node-agent.js';
import { parseLabels, parseTaints } from '../agent/node-flags.js';
import { assertReachable, createProcessRuntime, resolveRunAs } from '../agent/runtime/process/index.js';
import { SimulatedRuntime } from '../agent/runtime/simulated-runtime.js';
import type { Runtime } from '../agent/runtime/types.js';
import { HttpTokenSource } from '../agent/mesh/http-token-source.js';
import { loadOrCreateAgentId, nodeIdentities } from '../agent/node-identities.js';
import { parseQuantity } from '../api/quantity.js';
import { HttpClient } from '../client/http-client.js';
import type { Logger } from '../client/logger.js';
import { createLogger, parseLogFormat } from '../logging/logger.js';

const help = `workplane agent: run a node agent against an API server

Flags:
  --server URL                 API server URL (or take it from --kubeconfig)
  --token TOKEN                bootstrap bearer token (an admin's, or a bootstrap token): used only to
                               request each node's client certificate (system:node:NAME)
  --ca-file FILE               CA bundle that signed the server's certificate
  --insecure-skip-tls-verify   do not verify the server's certificate
  --kubeconfig FILE            read server, CA and credentials from a kubeconfig
  --context NAME               kubeconfig context (default: current-context)
  --nodes N                    nodes to serve (default 1)
  --runtime KIND               simulated (default) | process
  --name-prefix P              node names are P-0, P-1, ... (default node)
  --cpu Q --memory Q --pods N  capacity of each node (default 4, 8Gi, 110)
  --labels k=v,...             extra node labels (every node has workplane.dev/runtime=simulated|process)
  --taints k=v:Effect,...      taints set when a node is first registered, replacing the default: none for
                               simulated nodes, workplane.dev/runtime=process:NoSchedule for process nodes
                               (they run commands, not images: only pods that tolerate it land there);
                               --taints '' registers with none
  --lease-renew-seconds S      heartbeat lease renewal period (default 10)
  --node-status-seconds S      node status heartbeat period (default 60)
  --node-ip IP                 process: the address of this host (default 127.0.0.1)
  --log-port PORT              process: port of the log endpoint for kubectl logs (default 10250; 0 picks one)
  --root-dir DIR               where the agent keeps its id and node certificates, and (process) pods' working
                               directories and logs (default ./.workplane-agent)
  --cert-dir DIR               node keys and certificates (default ROOT_DIR/pki)
  --run-as-user USER|UID[:GID] process: the user pods run as when the agent is root (default nobody); an agent
                               that is not root runs pods as itself (with a warning)
  --ready-delay-ms MS          simulated: delay from running to ready (default 0)
  --start-delay-ms MS          simulated: delay before containers run (default 0, plus up to 50 jitter)
  --workers N                  concurrent pod syncs (default 8)
  --no-events                  do not record kubelet Events
  --log-level LEVEL            debug | info | warn (default) | error
  --log-format FORMAT          text | json (default: text when stderr is a terminal, else json)`;

const number = (flag: string, v: string | undefined, min = 0): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < min) throw new Error(`--${flag} must be a number >= ${min}, not "${v}"`);
  return n;
};

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      'ca-file': { type: 'string' },
      'insecure-skip-tls-verify': { type: 'boolean' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      nodes: { type: 'string', default: '1' },
      runtime: { type: 'string', default: 'simulated' },
      'name-prefix': { type: 'string', default: 'node' },
      cpu: { type: 'string', default: '4' },
      memory: { type: 'string', default: '8Gi' },
      pods: { type: 'string', default: '110' },
      labels: { type: 'string' },
      taints: { type: 'string' },
      'lease-renew-seconds': { type: 'string' },
      'node-status-seconds': { type: 'string' },
      'node-ip': { type: 'string', default: '127.0.0.1' },
      'log-port': { type: 'string', default: '10250' },
      'root-dir': { type: 'string', default: '.workplane-agent' },
      'run-as-user': { type: 'string' },
      'cert-dir': { type: 'string' },
      'ready-delay-ms': { type: 'string' },
      'start-delay-ms': { type: 'string' },
      workers: { type: 'string' },
      'no-events': { type: 'boolean' },
      'log-level': { type: 'string', default: process.env.WORKPLANE_LOG_LEVEL ?? 'warn' },
      'log-format': { type: 'string', default: process.env.WORKPLANE_LOG_FORMAT },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
}
type Flags = ReturnType<typeof parse>;

const indexOf = (line: string) => Number(/-(\d+) \(/.exec(line)?.[1] ?? 0);
const byNodeIndex = (a: string, b: string) => indexOf(a) - indexOf(b);

async function connect(f: Flags): Promise<HttpClient> {
  const ident = { userAgent: 'workplane-agent', fieldManager: 'workplane-agent' };
  if (f.kubeconfig && !f.server) return HttpClient.fromKubeconfig(f.kubeconfig, { context: f.context, ...ident });
  if (!f.server) throw new Error('--server (or --kubeconfig) is required');
  const caPem = f['ca-file'] ? await readFile(f['ca-file'], 'utf8') : undefined;
  return HttpClient.connect({ server: f.server, token: f.token, caPem, insecureSkipTlsVerify: f['insecure-skip-tls-verify'], ...ident });
}

/** The agent's options from the flags, minus what needs the runtime. */
function agentOptions(f: Flags, log: Logger): Omit<NodeAgentOptions, 'runtime'> {
  for (const q of ['cpu', 'memory', 'pods'] as const) parseQuantity(f[q]!);
  return {
    nodes: number('nodes', f.nodes, 1),
    namePrefix: f['name-prefix'],
    cpu: f.cpu,
    memory: f.memory,
    pods: f.pods,
    labels: parseLabels(f.labels),
    taints: f.taints === undefined ? undefined : parseTaints(f.taints),
    nodeIP: f['node-ip'],
    leaseRenewSeconds: number('lease-renew-seconds', f['lease-renew-seconds'], 0.01),
    nodeStatusReportSeconds: number('node-status-seconds', f['node-status-seconds'], 0.01),
    workers: number('workers', f.workers, 1),
    recordEvents: !f['no-events'],
    log,
  };
}

export interface RunAgentOptions {
  /** Stop when this aborts (tests); SIGINT/SIGTERM stop it too. */
  signal?: AbortSignal;
  out?: (line: string) => void;
}

export async function runAgent(args: string[], ro: RunAgentOptions = {}): Promise<number> {
  const f = parse(args);
  const out = ro.out ?? ((line: string) => console.log(line));
  if (f.help) {
    out(help);
    return 0;
  }
  const kind = f.runtime;
  if (kind !== 'simulated' && kind !== 'process') throw new Error(`--runtime must be simulated or process, not "${kind}"`);
  if (f['run-as-user'] !== undefined && kind !== 'process') throw new Error('--run-as-user applies to the process runtime only');
  const log = createLogger({ level: f['log-level']!, format: parseLogFormat(f['log-format']), base: { component: 'workplane-agent' } });
  const base = agentOptions(f, log);
  const cleanups: (() => unknown)[] = [];
  let stop = () => {};
  const stopped = new Promise<void>((r) => (stop = r));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  ro.signal?.addEventListener('abort', stop, { once: true });
  cleanups.push(() => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    ro.signal?.removeEventListener('abort', stop);
  });
  try {
    const bootstrap = await connect(f);
    cleanups.push(() => bootstrap.close());
    const caPem = bootstrap.opts.caPem;
    if (!caPem) throw new Error('agent: the cluster CA is needed (nodes verify the API server with it and it signs their certificates): give --ca-file, or a kubeconfig with certificate-authority-data');
    const rootDir = resolve(f['root-dir']!);
    await mkdir(rootDir, { recursive: true, mode: 0o700 });
    const agentId = await loadOrCreateAgentId(rootDir);
    const names = Array.from({ length: base.nodes ?? 1 }, (_, i) => `${base.namePrefix ?? 'node'}-${i}`);
    const identities = await nodeIdentities(bootstrap, names, {
      certDir: resolve(f['cert-dir'] ?? join(rootDir, 'pki')),
      caPem,
      servingHosts: kind === 'process' ? [f['node-ip']!] : undefined,
      userAgent: 'workplane-agent',
      fieldManager: 'workplane-agent',
    });
    for (const id of identities) cleanups.push(() => id.client.close());
    bootstrap.close();

    // The log server needs its source before the agents exist: forward to them.
    const agents: NodeAgent[] = [];
    const source: LogSource = {
      logs: (ns, name, o) => (agents.find((a) => a.servesPod(ns, name)) ?? agents[0]!).logs(ns, name, o),
    };
    let runtime: Runtime;
    let kubeletPort = 0;
    let identityRoot: string | undefined;
    if (kind === 'process') {
      identityRoot = join(rootDir, 'identities');
      const runAs = resolveRunAs(f['run-as-user'], (msg) => log.warn({}, msg));
      // Pods reach their working directories under the root dir (traverse only); keys stay 0600 in 0700 dirs.
      if (runAs) {
        await chmod(rootDir, 0o711);
        assertReachable(rootDir, runAs);
      }
      runtime = createProcessRuntime({ rootDir, runAs });
      const certificates = new Map(identities.map((id) => [id.name, id.serving!] as const));
      const server = await startLogServer({ source, host: f['node-ip']!, port: number('log-port', f['log-port'])!, clientCaPem: caPem, certificates });
      cleanups.push(() => server.stop());
      kubeletPort = server.port;
    } else {
      runtime = new SimulatedRuntime({ readyDelayMs: number('ready-delay-ms', f['ready-delay-ms']), startDelayMs: number('start-delay-ms', f['start-delay-ms']) });
    }
    cleanups.push(() => runtime.close());

    const started = Date.now();
    const registered: string[] = [];
    for (const id of identities) {
      // Meshed pods get a DP stream each, with TokenRequest tokens asked for as the node;
      // each also gets a workload identity in its own directory (under the root dir for real processes).
      const mesh = { tokens: new HttpTokenSource(id.client.transport), identityRoot, caPem };
      const agent = new NodeAgent(id.client, {
        ...base,
        nodes: undefined,
        nodeNames: [id.name],
        runtime,
        kubeletPort,
        mesh,
        holderIdentity: (node) => `${node}_${agentId}`,
        refuseTakeover: true,
        onNodeRegistered: (name, created) => registered.push(`${created ? 'registered' : 're-registered'} node ${name} (${kind})`),
      });
      agents.push(agent);
      cleanups.push(() => agent.stop());
    }
    await Promise.all(agents.map((a) => a.start()));
    for (const line of registered.sort(byNodeIndex).slice(0, 10)) out(line);
    if (registered.length > 10) out(`... and ${registered.length - 10} more nodes`);
    const logs = kind === 'process' ? `, logs on ${f['node-ip']}:${kubeletPort}` : '';
    out(`agent running: ${agents.length} node(s), runtime ${kind}${logs}, registered in ${Date.now() - started} ms; SIGTERM to stop`);
    log.info({ nodes: agents.length, runtime: kind, kubeletPort: kubeletPort || undefined }, 'agent running');
    await stopped;
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
  out('agent stopped');
  return 0;
}
