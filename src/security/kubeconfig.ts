// Writes the kubeconfig that `workplane serve` hands to kubectl: one cluster
// pinned to our CA, one user with a bearer token, one context selecting both.
// It holds a credential, so it is 0600 even when it existed with wider modes.
import { stringify } from 'yaml';
import { writeSecretFile } from './secret-file.js';

export interface KubeconfigOptions {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  caPem: string;
  token: string;
  /** Used for the cluster, user and context names. Default `workplane`. */
  contextName?: string;
  namespace?: string;
}

export function renderKubeconfig(opts: KubeconfigOptions): string {
  const name = opts.contextName ?? 'workplane';
  const context: Record<string, string> = { cluster: name, user: name };
  if (opts.namespace) context.namespace = opts.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: {
          server: opts.server,
          'certificate-authority-data': Buffer.from(opts.caPem, 'utf8').toString('base64'),
        },
      },
    ],
    users: [{ name, user: { token: opts.token } }],
    contexts: [{ name, context }],
    'current-context': name,
    preferences: {},
  });
}

/** Writes (atomically replacing) the kubeconfig at `path` with mode 0600 and returns `path`. */
export async function writeKubeconfig(path: string, opts: KubeconfigOptions): Promise<string> {
  await writeSecretFile(path, renderKubeconfig(opts));
  return path;
}
