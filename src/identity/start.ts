// Starting identity in the control plane: the registry, issuance, the
// MeshIdentity controller, the MeshTrust feed and the Dataplane feed, wired
// together. The DP server plug-in comes from the returned object, so the
// caller decides when streams start reaching issuance.

import { silentLogger, type Logger } from '../client/logger.js';
import { SharedInformers } from '../client/shared-informers.js';
import type { Client } from '../client/types.js';
import { InsightStore } from '../dp/server/insight-store.js';
import { identityDpPlugin, type IdentityDpPlugin } from './dp-plugin.js';
import { IdentityRegistry } from './identity-registry.js';
import type { InsightWriter } from './insight-mtls.js';
import { Issuer } from './issuer.js';
import { meshIdentityController } from './mesh-identity-controller.js';
import { ProxySessions } from './proxy-sessions.js';
import { feedMeshTrusts } from './trust-bundles.js';

export const DATAPLANES = { group: 'kuma.io', version: 'v1alpha1', resource: 'dataplanes' };

export interface StartIdentityOptions {
  /** Home of MeshIdentity, MeshTrust and the CA Secrets (`kuma-system` by default in MeshConfig). */
  systemNamespace: string;
  log?: Logger;
  /** `{{ .Zone }}` for identities without a kuma.io/zone label (default `default`). */
  zone?: string;
  /** Shared with the process's other controllers; when given, the caller starts and stops it. */
  informers?: SharedInformers;
}

export interface IdentityControllers {
  readonly registry: IdentityRegistry;
  readonly issuer: Issuer;
  readonly sessions: ProxySessions;
  /**
   * The DP server plug-in: `dpServer.addHandler(identity.dpPlugin({ insights: dpServer.insights }))`.
   * status.mTLS is written through `insights` (the DP server's InsightStore, which serializes
   * writes per insight); without it, through a store of this module's own.
   */
  dpPlugin(opts?: { insights?: InsightWriter }): IdentityDpPlugin;
  /** Settles once the controllers have stopped (after `signal` aborts). */
  readonly done: Promise<void>;
}

export function startIdentityControllers(client: Client, signal: AbortSignal, opts: StartIdentityOptions): IdentityControllers {
  const log = opts.log ?? silentLogger;
  const informers = opts.informers ?? new SharedInformers(client, { log });
  const registry = new IdentityRegistry();
  const issuer = new Issuer(registry);
  const sessions = new ProxySessions(issuer, { log });
  const unfeed = feedMeshTrusts(informers, registry, opts.systemNamespace);
  const unwatch = informers.informerFor(DATAPLANES).addHandler({ onUpdate: (_old, dp) => sessions.dataplaneChanged(dp) });
  const controller = meshIdentityController(client, registry, { systemNamespace: opts.systemNamespace, zone: opts.zone, informers, log });
  const done = (async () => {
    try {
      await controller.start(signal);
      if (!opts.informers) await informers.stopped();
    } finally {
      unfeed();
      unwatch();
      sessions.stop();
    }
  })();
  let plugin: IdentityDpPlugin | undefined;
  const dpPlugin = (o: { insights?: InsightWriter } = {}) => {
    sessions.useInsights(o.insights ?? new InsightStore(client));
    return (plugin ??= identityDpPlugin(sessions));
  };
  return { registry, issuer, sessions, dpPlugin, done };
}
