// Which user pods of the process runtime run as. An agent running as root
// runs pods as an unprivileged user (`--run-as-user`, default `nobody`), so a
// pod cannot read the agent's keys or a control plane's data directory on the
// same host; an agent that is not root cannot switch users, so its pods run as
// itself (and the agent says so).

import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface RunAs {
  uid: number;
  gid: number;
  /** For messages: the name given, or the uid. */
  name: string;
}

export const DEFAULT_RUN_AS_USER = 'nobody';

interface Entry {
  name: string;
  id: number;
  gid?: number;
}

function readDb(path: string, withGid: boolean): Entry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').flatMap((line) => {
    const f = line.split(':');
    if (f.length < 3 || !/^\d+$/.test(f[2]!)) return [];
    return [{ name: f[0]!, id: Number(f[2]), ...(withGid && /^\d+$/.test(f[3] ?? '') ? { gid: Number(f[3]) } : {}) }];
  });
}

/** `USER|UID[:GROUP|GID]` against /etc/passwd and /etc/group; throws naming what is unknown. */
export function parseRunAsUser(spec: string, files = { passwd: '/etc/passwd', group: '/etc/group' }): RunAs {
  const m = /^([^:\s]+)(?::([^:\s]+))?$/.exec(spec.trim());
  if (!m) throw new Error(`--run-as-user: expected USER, UID, USER:GROUP or UID:GID, got "${spec}"`);
  const [, user, group] = m as unknown as [string, string, string | undefined];
  const users = readDb(files.passwd, true);
  const known = /^\d+$/.test(user) ? users.find((u) => u.id === Number(user)) : users.find((u) => u.name === user);
  if (!known && !/^\d+$/.test(user)) throw new Error(`--run-as-user: unknown user "${user}"`);
  const uid = known?.id ?? Number(user);
  let gid: number;
  if (group === undefined) gid = known?.gid ?? uid;
  else if (/^\d+$/.test(group)) gid = Number(group);
  else {
    const g = readDb(files.group, false).find((e) => e.name === group);
    if (!g) throw new Error(`--run-as-user: unknown group "${group}"`);
    gid = g.id;
  }
  return { uid, gid, name: user };
}

/**
 * The user pods run as: the flag's (default nobody) when the agent is root; when it is not, the
 * agent's own user, with a warning (and an error if a different user was asked for).
 */
export function resolveRunAs(flag: string | undefined, warn: (msg: string) => void, isRoot = process.getuid?.() === 0): RunAs | undefined {
  if (!isRoot) {
    if (flag !== undefined) throw new Error(`--run-as-user ${flag}: the agent must run as root to run pods as another user`);
    warn('agent is not running as root: pods run as the agent\'s own user and can read whatever it can (keys and certificates under --root-dir included)');
    return undefined;
  }
  const runAs = parseRunAsUser(flag ?? DEFAULT_RUN_AS_USER);
  if (runAs.uid === 0) warn(`--run-as-user ${runAs.name}: pods run as root and can read the agent's keys and any local data directory`);
  return runAs;
}

/**
 * Throws unless `runAs` can pass through every directory down to `dir` (pods' working
 * directories live below it): a clear error at start beats every pod failing to start.
 */
export function assertReachable(dir: string, runAs: RunAs): void {
  const chain: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of chain) {
    const st = statSync(d);
    const ok = (st.uid === runAs.uid && st.mode & 0o100) || (st.gid === runAs.gid && st.mode & 0o010) || st.mode & 0o001;
    if (!ok) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new Error(`--root-dir ${dir}: pods run as ${runAs.name} (uid ${runAs.uid}), who cannot reach it: ${d} is mode ${mode}; let others pass through it (chmod o+x ${d}) or choose another --root-dir`);
    }
  }
}
