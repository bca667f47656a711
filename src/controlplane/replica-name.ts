// The name of one `workplane serve` replica: the prefix of its in-process
// nodes and the start of its leader-election identity. Replicas sharing etcd
// need distinct names (or both would run `node-0`'s pods), and one replica
// needs the same name across restarts (or each restart would leave orphaned
// nodes behind). So by default it is the host name plus a digest of the data
// directory's path: stable for a replica, different for two replicas on one
// machine (they cannot share a data directory).

import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

const MAX_LENGTH = 40;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` cannot name a replica, or undefined. */
export function replicaNameError(name: string): string | undefined {
  if (name.length > MAX_LENGTH) return `must be no more than ${MAX_LENGTH} characters`;
  if (!LABEL.test(name)) return "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
  return undefined;
}

export function defaultReplicaName(dataDir: string, host = hostname()): string {
  const digest = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 6);
  const base = host.toLowerCase().split('.')[0].replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, MAX_LENGTH - digest.length - 1).replace(/-+$/, '');
  return base ? `${base}-${digest}` : `replica-${digest}`;
}

/**
 * Node names for `count` in-process nodes. A single replica by construction
 * (sqlite, memory) keeps the plain `node-<i>` unless given a name.
 */
export function inProcessNodePrefix(replicaName: string | undefined): string {
  return replicaName ? `${replicaName}-node` : 'node';
}

/** The replica's name: as given, derived when replicas may share storage (etcd), else none. */
export function resolveReplicaName(opts: { replicaName?: string; storage: string }, dataDir: string): string | undefined {
  return opts.replicaName ?? (opts.storage === 'etcd' ? defaultReplicaName(dataDir) : undefined);
}
