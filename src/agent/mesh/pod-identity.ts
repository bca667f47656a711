// Workload identity for the meshed pods the node agent holds streams for, as
// `workplane dp run --identity-dir` keeps it for a standalone proxy: each pod
// session has its own key pair, sends a CSR over its stream and writes the
// certificate, key and bundle the control plane returns (and renews) into a
// directory of its own. The control plane issues only when a MeshIdentity
// selects the pod's Dataplane; until then the directory stays empty. The
// directory goes when the session ends for good, since its key dies with it.

import { rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { KObject } from '../../api/object.js';
import type { Logger } from '../../client/logger.js';
import { identitySessionHooks, ProxyIdentity } from '../../identity/index.js';
import type { PodSessionHooks } from './pod-session.js';

/** Where simulated nodes keep their pods' identities unless told otherwise. */
export const defaultIdentityRoot = (): string => join(tmpdir(), `workplane-agent-${process.pid}`, 'identities');

/** The pod's directory under `root`: the uid keeps a recreated pod of the same name apart. */
export function podIdentityDir(root: string, pod: KObject): string {
  const { namespace, name, uid } = pod.metadata;
  return join(root, `${namespace}_${name}_${uid}`);
}

/** Hooks giving one pod session an identity; `close` waits for pending writes, then removes the directory. */
export function podIdentityHooks(pod: KObject, root: string, log: Logger): PodSessionHooks {
  const dir = podIdentityDir(root, pod);
  const proxy = new ProxyIdentity({
    dir,
    log,
    onIdentity: (id) => log.debug({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, spiffeId: id.spiffeId, expires: id.expirationTime }, 'mesh: pod identity written'),
  });
  const hooks = identitySessionHooks(proxy);
  return {
    ...hooks,
    async close() {
      await proxy.idle();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Both hook sets see every event; `a` first. */
export function combineHooks(a: PodSessionHooks | undefined, b: PodSessionHooks | undefined): PodSessionHooks | undefined {
  if (!a || !b) return a ?? b;
  return {
    onMessage: (m) => {
      a.onMessage?.(m);
      b.onMessage?.(m);
    },
    onStateChange: (s, err) => {
      a.onStateChange?.(s, err);
      b.onStateChange?.(s, err);
    },
    attach: (session) => {
      a.attach?.(session);
      b.attach?.(session);
    },
    close: async () => {
      await Promise.allSettled([a.close?.(), b.close?.()]);
    },
  };
}

/** Removes the default root and its per-process parent once they are empty (another agent in this process may still use them). */
export async function pruneIdentityRoot(root: string): Promise<void> {
  for (const d of [root, dirname(root)]) {
    try {
      await rmdir(d);
    } catch {
      return;
    }
  }
}
