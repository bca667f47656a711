// `workplane agent`: a node agent in its own process, reaching the API server
// over HTTPS (flags or a kubeconfig). It registers its nodes, says so, runs
// until SIGINT/SIGTERM and then simply stops: Nodes stay, their leases just
// stop being renewed.

import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseQuantity } from '../api/quantity.js';
import { HttpClient } from '../client/http-client.js';
import type { Logger } from '../client/logger.js';
import type { LogRequest, LogSource } from '../agent/log-source.js';
import { NodeAgent } from '../agent/node-agent.js';
import { SimulatedRuntime } from '../agent/runtime/simulated-runtime.js';
import type { Runtime } from '../agent/runtime/types.js';

const help = `workplane agent: run a node agent against an API server

Flags:
  --server URL                 API server URL (or take it from --kubeconfig)
  --token TOKEN                bearer token
  --ca-file FILE               CA bundle that signed the server's certificate
  --insecure-skip-tls-verify   do not verify the server's certificate
  --kubeconfig FILE            read server, CA and credentials from a kubeconfig
  --context NAME               kubeconfig context (default: current-context)
  --nodes N                    nodes to serve (default 1)
  --runtime KIND               simulated (default) | process
  --name-prefix P              node names are P-0, P-1, ... (default node)
  --cpu Q --memory Q --pods N  capacity of each node (default 4, 8Gi, 110)
  --labels k=v,...             extra node labels
  --taints k=v:Effect,...      taints set when a node is first registered
  --lease-renew-seconds S      heartbeat lease renewal period (default 10)
  --node-status-seconds S      node status heartbeat period (default 60)
  --ready-delay-ms MS          simulated: delay from running to ready (default 0)
  --start-delay-ms MS          simulated: delay before containers run (default 0, plus up to 50 jitter)
  --workers N                  concurrent pod syncs (default 8)
  --no-events                  do not record kubelet Events
  --log-level LEVEL            debug | info | warn (default) | error`;

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

function consoleLogger(level: string): Logger {
  const min = Math.max(0, LEVELS.indexOf(level as (typeof LEVELS)[number]));
  const at = (i: number) => (obj: object, msg?: string) => {
    if (i < min) return;
    const rec: Record<string, unknown> = { level: LEVELS[i], time: Date.now(), msg };
    for (const [k, v] of Object.entries(obj)) rec[k] = v instanceof Error ? v.message : v;
    process.stderr.write(`${JSON.stringify(rec)}\n`);
  };
  return { debug: at(0), info: at(1), warn: at(2), error: at(3) };
}

export function parseLabels(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new Error(`--labels: "${item}" is not key=value`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

export function parseTaints(text: string | undefined): Record<string, string>[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(item);
      if (!m) throw new Error(`--taints: "${item}" is not key[=value]:NoSchedule|PreferNoSchedule|NoExecute`);
      const t: Record<string, string> = { key: m[1], effect: m[3] };
      if (m[2]) t.value = m[2];
      return t;
    });
}

const count = (flag: string, v: string | undefined, dflt: number, min = 0) => {
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isFinite(n) || n < min) throw new Error(`--${flag} must be a number >= ${min}, not "${v}"`);
  return n;
};

/** The process runtime is another module; loaded only when asked for. */
async function processRuntime(log: Logger, source: LogSource): Promise<{ runtime: Runtime; port: number; close(): Promise<void> }> {
  const path = '../agent/runtime/process/index.js';
  const mod = (await import(path)) as {
    createProcessRuntime(opts: { log: Logger }): Runtime;
    startLogServer?(opts: { source: LogSource; log: Logger }): Promise<{ port: number; close(): Promise<void> }>;
  };
  const runtime = mod.createProcessRuntime({ log });
  const server = await mod.startLogServer?.({ source, log });
  return { runtime, port: server?.port ?? 0, close: async () => server?.close() };
}

export interface RunAgentOptions {
  /** Stop when this aborts (tests); SIGINT/SIGTERM stop it too. */
  signal?: AbortSignal;
  out?: (line: string) => void;
}

export async function runAgent(args: string[], ro: RunAgentOptions = {}): Promise<number> {
  const { values } = parseArgs({
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
      'ready-delay-ms': { type: 'string' },
      'start-delay-ms': { type: 'string' },
      workers: { type: 'string' },
      'no-events': { type: 'boolean' },
      'log-level': { type: 'string', default: process.env.WORKPLANE_LOG_LEVEL ?? 'warn' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const out = ro.out ?? ((line: string) => console.log(line));
  if (values.help) {
    out(help);
    return 0;
  }
  const kind = values.runtime;
  if (kind !== 'simulated' && kind !== 'process') throw new Error(`--runtime must be simulated or process, not "${kind}"`);
  const nodes = count('nodes', values.nodes, 1, 1);
  for (const q of ['cpu', 'memory', 'pods'] as const) parseQuantity(values[q]!);
  const log = consoleLogger(values['log-level']!);

  let client: HttpClient;
  if (values.kubeconfig && !values.server) {
    client = await HttpClient.fromKubeconfig(values.kubeconfig, { context: values.context, userAgent: 'workplane-agent', fieldManager: 'workplane-agent' });
  } else {
    if (!values.server) throw new Error('--server (or --kubeconfig) is required');
    const caPem = values['ca-file'] ? await readFile(values['ca-file'], 'utf8') : undefined;
    client = await HttpClient.connect({
      server: values.server,
      token: values.token,
      caPem,
      insecureSkipTlsVerify: values['insecure-skip-tls-verify'],
      userAgent: 'workplane-agent',
      fieldManager: 'workplane-agent',
    });
  }

  // The log server needs a source before the agent exists: forward to it.
  let agent: NodeAgent | undefined;
  const source: LogSource = { logs: (ns: string, name: string, o: LogRequest) => agent!.logs(ns, name, o) };
  let closeExtra = async () => {};
  let runtime: Runtime;
  let port = 0;
  if (kind === 'process') {
    const p = await processRuntime(log, source);
    ({ runtime, port } = p);
    closeExtra = p.close;
  } else {
    runtime = new SimulatedRuntime({
      readyDelayMs: values['ready-delay-ms'] === undefined ? undefined : count('ready-delay-ms', values['ready-delay-ms'], 0),
      startDelayMs: values['start-delay-ms'] === undefined ? undefined : count('start-delay-ms', values['start-delay-ms'], 0),
    });
  }

  const started = Date.now();
  let registered = 0;
  agent = new NodeAgent(client, {
    runtime,
    nodes,
    namePrefix: values['name-prefix'],
    cpu: values.cpu,
    memory: values.memory,
    pods: values.pods,
    labels: parseLabels(values.labels),
    taints: parseTaints(values.taints),
    kubeletPort: port,
    leaseRenewSeconds: values['lease-renew-seconds'] === undefined ? undefined : count('lease-renew-seconds', values['lease-renew-seconds'], 10, 0.01),
    nodeStatusReportSeconds: values['node-status-seconds'] === undefined ? undefined : count('node-status-seconds', values['node-status-seconds'], 60, 0.01),
    workers: values.workers === undefined ? undefined : count('workers', values.workers, 8, 1),
    recordEvents: !values['no-events'],
    log,
    onNodeRegistered: (name, created) => {
      if (++registered <= 10) out(`${created ? 'registered' : 're-registered'} node ${name} (${kind})`);
    },
  });

  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    ro.signal?.addEventListener('abort', stop, { once: true });
  });
  try {
    await agent.start();
    if (registered > 10) out(`... and ${registered - 10} more nodes`);
    out(`agent running: ${nodes} node(s), runtime ${kind}, ${Date.now() - started} ms to register; SIGTERM to stop`);
    await stopped;
  } finally {
    await agent.stop();
    await runtime.close();
    await closeExtra();
    client.close();
  }
  out('agent stopped');
  return 0;
}
