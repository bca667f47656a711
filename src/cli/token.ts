// `workplane token dataplane`: asks the API server (DataplaneToken, a virtual
// kind) for a dataplane token and prints it, for `workplane dp run --token-file`.
// `workplane token node`: a bootstrap token for `workplane agent --token`.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { HttpTransport, loadKubeconfig } from '../client/index.js';
import { parseGoDuration } from '../api/duration.js';
import { createBootstrapToken } from './node-token.js';

const help = `workplane token dataplane: print a token that lets 'workplane dp run' register Dataplanes

Flags:
  --mesh MESH            mesh of the Dataplanes (default "default")
  --workload NAME        workload the Dataplanes must name in label kuma.io/workload (required)
  --namespace NS         namespace the token is limited to (default: the kubeconfig context's, else "default")
  --valid-for DURATION   lifetime, e.g. 24h, 30m (default 24h)
  --kubeconfig FILE      API server to ask (default $KUBECONFIG, else ~/.kube/config)`;

/** The kubeconfig a command talks through: the flag, else $KUBECONFIG (first entry), else ~/.kube/config. */
export function kubeconfigPath(flag: string | undefined): string {
  return flag ?? process.env.KUBECONFIG?.split(':').find(Boolean) ?? join(homedir(), '.kube', 'config');
}

export async function runToken(args: string[]): Promise<number> {
  const [what, ...rest] = args;
  if (what === undefined || what === 'help' || what === '--help' || what === '-h') {
    console.log(help);
    return 0;
  }
  if (what === 'node') return runNodeToken(rest);
  if (what !== 'dataplane') {
    console.error(`workplane token: unknown token kind "${what}" (supported: dataplane, node)\n\n${help}`);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      mesh: { type: 'string', default: 'default' },
      workload: { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      'valid-for': { type: 'string' },
      kubeconfig: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  if (!values.workload) throw new Error('token dataplane: --workload is required');
  const conn = await loadKubeconfig(kubeconfigPath(values.kubeconfig));
  const namespace = values.namespace ?? conn.namespace ?? 'default';
  const transport = new HttpTransport({ ...conn, userAgent: 'workplane-token' });
  try {
    const spec: Record<string, string> = { mesh: values.mesh!, workload: values.workload };
    if (values['valid-for']) spec.validFor = values['valid-for'];
    const { body } = await transport.request('POST', `/apis/kuma.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/dataplanetokens`, {
      body: { apiVersion: 'kuma.io/v1alpha1', kind: 'DataplaneToken', metadata: {}, spec },
    });
    const token = (body as { status?: { token?: unknown } }).status?.token;
    if (typeof token !== 'string' || !token) throw new Error('token dataplane: the server returned no token');
    console.log(token);
    return 0;
  } finally {
    transport.close();
  }
}

const nodeHelp = `workplane token node: print a bootstrap token with which a new node agent joins
(workplane agent --server URL --token TOKEN --ca-file ca.crt); it may only request node certificates

Flags:
  --valid-for DURATION   lifetime, e.g. 24h, 30m (default 24h)
  --kubeconfig FILE      API server to ask (default $KUBECONFIG, else ~/.kube/config)`;

async function runNodeToken(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { 'valid-for': { type: 'string', default: '24h' }, kubeconfig: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    console.log(nodeHelp);
    return 0;
  }
  const seconds = Math.floor(parseGoDuration(values['valid-for']!) / 1000);
  if (seconds < 1) throw new Error('token node: --valid-for must be at least 1s');
  const transport = new HttpTransport({ ...(await loadKubeconfig(kubeconfigPath(values.kubeconfig))), userAgent: 'workplane-token' });
  try {
    console.log((await createBootstrapToken(transport, seconds)).token);
    return 0;
  } finally {
    transport.close();
  }
}
