// Reads how to reach a cluster from a kubeconfig file: the current (or named)
// context's server, CA, and credentials (bearer token or client certificate),
// with file references resolved relative to the kubeconfig as kubectl does.

import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

export interface ClusterConnection {
  /** e.g. https://127.0.0.1:6443 */
  server: string;
  token?: string;
  caPem?: string;
  /** Client certificate authentication. */
  certPem?: string;
  keyPem?: string;
  insecureSkipTlsVerify?: boolean;
  /** The context's default namespace, if any. */
  namespace?: string;
}

interface Named {
  name: string;
  [k: string]: unknown;
}

export async function loadKubeconfig(path: string, context?: string): Promise<ClusterConnection> {
  return parseKubeconfig(await readFile(path, 'utf8'), { context, baseDir: dirname(path) });
}

export async function parseKubeconfig(text: string, opts: { context?: string; baseDir?: string } = {}): Promise<ClusterConnection> {
  const doc = (parse(text) ?? {}) as Record<string, unknown>;
  const ctxName = opts.context ?? (doc['current-context'] as string | undefined);
  if (!ctxName) throw new Error('kubeconfig: no context selected (current-context is empty)');
  const ctx = pick(doc.contexts, ctxName, 'context', 'context');
  const cluster = pick(doc.clusters, String(ctx.cluster ?? ''), 'cluster', 'cluster');
  const user = ctx.user ? pick(doc.users, String(ctx.user), 'user', 'user') : {};
  const file = (p: string) => readFile(isAbsolute(p) || !opts.baseDir ? p : join(opts.baseDir, p), 'utf8');
  const data = async (inline: unknown, ref: unknown) =>
    typeof inline === 'string' ? Buffer.from(inline, 'base64').toString('utf8') : typeof ref === 'string' ? await file(ref) : undefined;
  if (typeof cluster.server !== 'string') throw new Error(`kubeconfig: cluster "${ctx.cluster}" has no server`);
  const conn: ClusterConnection = { server: cluster.server.replace(/\/+$/, '') };
  conn.caPem = await data(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (cluster['insecure-skip-tls-verify'] === true) conn.insecureSkipTlsVerify = true;
  if (typeof user.token === 'string') conn.token = user.token;
  else if (typeof user.tokenFile === 'string') conn.token = (await file(user.tokenFile)).trim();
  conn.certPem = await data(user['client-certificate-data'], user['client-certificate']);
  conn.keyPem = await data(user['client-key-data'], user['client-key']);
  if (typeof ctx.namespace === 'string') conn.namespace = ctx.namespace;
  for (const k of Object.keys(conn) as (keyof ClusterConnection)[]) if (conn[k] === undefined) delete conn[k];
  return conn;
}

function pick(list: unknown, name: string, what: string, field: string): Record<string, unknown> {
  const found = Array.isArray(list) ? (list as Named[]).find((e) => e?.name === name) : undefined;
  const v = found?.[field];
  if (!v || typeof v !== 'object') throw new Error(`kubeconfig: ${what} "${name}" not found`);
  return v as Record<string, unknown>;
}
