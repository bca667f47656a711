// `workplane agent`'s nodes, each with its own identity: from one bootstrap
// connection (an admin kubeconfig, or a bootstrap token) the agent gets a
// client certificate per node (system:node:<name>) and then talks to the API
// server as each node over that node's own connection, so every write is
// checked against the node that makes it. An agent id kept in the root
// directory names this agent in the nodes' Lease holder identities, so a
// restart of the same agent is not taken for a second one.

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { HttpClient } from '../client/http-client.js';
import type { CertKeyPem } from '../security/keys.js';
import { readOptional, writeSecretFile } from '../security/secret-file.js';
import { nodeCertificate } from './node-credentials.js';

export interface NodeIdentity {
  name: string;
  client: HttpClient;
  /** The node's kubelet serving certificate, when asked for (process runtime: the log endpoint). */
  serving?: CertKeyPem;
}

export interface NodeIdentitiesOptions {
  /** Where keys and certificates are kept (`<dir>/<node>/client.{crt,key}`, `serving.{crt,key}`). */
  certDir: string;
  caPem: string;
  /** Also get a serving certificate for these hosts (the node's address). */
  servingHosts?: string[];
  userAgent: string;
  fieldManager: string;
  /** Nodes bootstrapped at once (default 8). */
  concurrency?: number;
}

export async function nodeIdentities(bootstrap: HttpClient, names: string[], opts: NodeIdentitiesOptions): Promise<NodeIdentity[]> {
  const out: NodeIdentity[] = new Array(names.length);
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      const name = names[i]!;
      const creds = await nodeCertificate(bootstrap, name, 'client', { dir: opts.certDir, caPem: opts.caPem });
      const client = bootstrap.withCredentials(creds, { userAgent: opts.userAgent, fieldManager: opts.fieldManager });
      try {
        // The serving certificate is asked for by the node itself, which is what its auto-approval requires.
        const serving = opts.servingHosts ? await nodeCertificate(client, name, 'serving', { dir: opts.certDir, caPem: opts.caPem, hosts: opts.servingHosts }) : undefined;
        out[i] = { name, client, serving };
      } catch (e) {
        client.close();
        throw e;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(names.length, opts.concurrency ?? 8) }, worker));
  } catch (e) {
    for (const n of out) n?.client.close();
    throw e;
  }
  return out;
}

/** A random id for this agent, created once in `rootDir/agent-id`. */
export async function loadOrCreateAgentId(rootDir: string): Promise<string> {
  const path = join(rootDir, 'agent-id');
  const existing = (await readOptional(path))?.trim();
  if (existing && /^[a-f0-9]{8,64}$/.test(existing)) return existing;
  const id = randomBytes(8).toString('hex');
  await writeSecretFile(path, id + '\n');
  return id;
}
