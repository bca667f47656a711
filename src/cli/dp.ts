// `workplane dp run`: runs a data plane proxy's control-plane side outside
// Kubernetes. Registers the Dataplane from a YAML file through the DP server
// (authorized by a dataplane token), reports inbound health, and deletes the
// Dataplane on SIGINT/SIGTERM. With --identity-dir it also keeps the proxy's
// workload identity there: its own key, a CSR over the stream, and the
// certificate and trust bundle the control plane issues and renews. Without
// --cp-address the DP server's address comes from the ConfigMap the control
// plane publishes, read through the kubeconfig. The DP server is verified
// against the CA the proxy was given (--ca-file, else the kubeconfig's
// cluster CA), never the CA in that ConfigMap: whoever can edit it could
// otherwise send proxies, and their tokens, anywhere.

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { parseGoDuration } from '../api/duration.js';
import { isPlainObject, type KObject } from '../api/object.js';
import { HttpClient, stderrLogger } from '../client/index.js';
import { runDataplane } from '../dp/agent/dataplane-runner.js';
import { readDpServerAddress } from '../dp/server/published-address.js';
import { IDENTITY_FILES, identitySessionHooks, ProxyIdentity } from '../identity/index.js';
import { VERSION } from '../version.js';

const help = `workplane dp run: register a Dataplane and hold its stream to the control plane

Flags:
  --dataplane-file FILE   the Dataplane (kuma.io/v1alpha1) as YAML or JSON (required)
  --token-file FILE       a dataplane token from 'workplane token dataplane' (required)
  --namespace NS          namespace of the Dataplane (default: the file's, else the kubeconfig's, else "default")
  --cp-address URL        DP server, grpcs://HOST:PORT (default: published in ConfigMap kuma-system/workplane-dp-server)
  --ca-file FILE          cluster CA the DP server's certificate must chain to (default: the kubeconfig's)
  --kubeconfig FILE       API server to discover the DP server through (default $KUBECONFIG)
  --identity-dir DIR      keep the workload identity here: cert.pem (the SPIFFE certificate), key.pem (its
                          private key, mode 0600, generated locally) and bundle.pem (trusted CAs); written
                          when a MeshIdentity selects the Dataplane and replaced on every renewal
  --probe-interval D      how often inbounds are probed (default 2s)`;

interface Discovered {
  address: string;
  caPem: string;
  namespace?: string;
}

async function discover(flags: { kubeconfig?: string; address?: string; caFile?: string }): Promise<Discovered> {
  const caFromFile = flags.caFile ? await readFile(flags.caFile, 'utf8') : undefined;
  if (flags.address && caFromFile) return { address: flags.address, caPem: caFromFile };
  const kc = flags.kubeconfig ?? process.env.KUBECONFIG?.split(':').find(Boolean);
  if (!kc) {
    const missing = flags.address ? '--ca-file' : '--cp-address and --ca-file';
    throw new Error(`dp run: without ${missing} the DP server is found through the API server: set $KUBECONFIG or --kubeconfig`);
  }
  const client = await HttpClient.fromKubeconfig(kc);
  try {
    const caPem = caFromFile ?? client.opts.caPem;
    if (!caPem) throw new Error(`dp run: ${kc} names no cluster CA (certificate-authority-data) to verify the DP server with: give --ca-file`);
    const address = flags.address ?? (await readDpServerAddress(client))?.address;
    if (!address) throw new Error('dp run: the control plane has not published a DP server address (ConfigMap kuma-system/workplane-dp-server)');
    return { address, caPem, namespace: client.opts.namespace };
  } finally {
    client.close();
  }
}

async function readDataplane(file: string): Promise<KObject> {
  const doc = parseYaml(await readFile(file, 'utf8')) as unknown;
  if (!isPlainObject(doc)) throw new Error(`dp run: ${file}: expected a Dataplane object`);
  if (doc.kind !== undefined && doc.kind !== 'Dataplane') throw new Error(`dp run: ${file}: expected kind Dataplane, got "${String(doc.kind)}"`);
  if (!isPlainObject(doc.metadata) || typeof doc.metadata.name !== 'string' || !doc.metadata.name) throw new Error(`dp run: ${file}: metadata.name is required`);
  return doc as KObject;
}

export async function runDp(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    console.log(help);
    return 0;
  }
  if (sub !== 'run') {
    console.error(`workplane dp: unknown command "${sub}"\n\n${help}`);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      'dataplane-file': { type: 'string' },
      'token-file': { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      'cp-address': { type: 'string' },
      'ca-file': { type: 'string' },
      kubeconfig: { type: 'string' },
      'identity-dir': { type: 'string' },
      'probe-interval': { type: 'string', default: '2s' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (!values['dataplane-file']) throw new Error('dp run: --dataplane-file is required');
  if (!values['token-file']) throw new Error('dp run: --token-file is required');
  const probeIntervalMs = parseGoDuration(values['probe-interval']!);
  if (probeIntervalMs <= 0) throw new Error('dp run: --probe-interval must be positive');
  const dataplane = await readDataplane(values['dataplane-file']);
  const token = (await readFile(values['token-file'], 'utf8')).trim();
  if (!token) throw new Error(`dp run: ${values['token-file']} is empty`);
  const found = await discover({ kubeconfig: values.kubeconfig, address: values['cp-address'], caFile: values['ca-file'] });
  const fileNs = dataplane.metadata.namespace;
  if (values.namespace && fileNs && values.namespace !== fileNs) {
    throw new Error(`dp run: the namespace from the file (${fileNs}) does not match --namespace ${values.namespace}`);
  }
  dataplane.metadata.namespace = values.namespace ?? fileNs ?? found.namespace ?? 'default';
  const identityDir = values['identity-dir'];
  if (identityDir) await mkdir(identityDir, { recursive: true, mode: 0o700 });
  const ref = `${dataplane.metadata.namespace}/${dataplane.metadata.name}`;
  const identity = identityDir
    ? identitySessionHooks(
        new ProxyIdentity({
          dir: identityDir,
          log: stderrLogger,
          onIdentity: (id) => console.log(`dataplane ${ref}: identity ${id.spiffeId} written to ${join(id.dir, IDENTITY_FILES.cert)} (expires ${id.expirationTime})`),
        }),
      )
    : undefined;

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runDataplane({
      dataplane,
      address: found.address,
      caPem: found.caPem,
      token,
      signal: stop.signal,
      probeIntervalMs,
      log: stderrLogger,
      agentVersion: VERSION,
      onConnected: (id) => console.log(`dataplane ${ref} connected to ${found.address} (subscription ${id})`),
      ...(identity ? { onMessage: identity.onMessage, onStateChange: identity.onStateChange, onSession: (s) => identity.attach(s) } : {}),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  console.log(`dataplane ${ref}: stopped`);
  return 0;
}
