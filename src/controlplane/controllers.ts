// Everything that must run on one replica only: the core, node, compute and mesh
// controllers and the scheduler. With etcd (several `workplane serve` replicas
// may share it) they run under a Lease-based leader election; with sqlite or
// memory storage there is one replica by construction and they start at once.

import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { EventRecorder } from '../client/event-recorder.js';
import { InProcessClient } from '../client/in-process-client.js';
import { LeaderElector } from '../client/leader-election.js';
import { startAppsControllers } from '../controllers/apps/index.js';
import { startBatchControllers } from '../controllers/batch/index.js';
import { startServiceControllers, type ServiceAllocator } from '../controllers/services/index.js';
import { startComputeControllers } from '../controllers/compute/index.js';
import { startMeshControllers } from '../controllers/mesh/index.js';
import type { MeshConfig } from '../mesh/config.js';
import type { Registry } from '../registry/registry.js';
import { Scheduler, registryBinder } from '../scheduler/index.js';
import { startCoreControllers } from './core-controllers.js';
import { clusterRoleAggregationController } from '../controllers/rbac/clusterrole-aggregation-controller.js';
import { TokenCleaner } from '../controllers/bootstrap/token-cleaner.js';
import { csrController } from '../controllers/certificates/index.js';
import type { ClusterSigner } from '../security/cluster-signer.js';
import { PublishedAddressKeeper } from '../dp/server/published-address-keeper.js';
import type { PublishedDpServer } from '../dp/server/published-address.js';
import type { ServeOptions } from './options.js';

export interface ControllerSet {
  registry: Registry;
  opts: ServeOptions;
  logger: Logger;
  /** This replica's name, the start of its leader-election identity (default: the host name). */
  replicaName?: string;
  /** Mesh controllers run only when kuma.io is served. */
  mesh?: MeshConfig;
  /** Approves node certificate requests and signs approved ones with the cluster CA. */
  signer?: ClusterSigner;
  /** Owns the Services' address records: its repair runs with the service controllers. */
  serviceAllocator?: ServiceAllocator;
  /** Keep the DP server address published as this replica published it (mesh on). */
  dpServer?: { namespace: string; published: () => PublishedDpServer | undefined; keeper?: (k: PublishedAddressKeeper | undefined) => void };
}

/** Starts every singleton controller bound to `signal`; resolves once all have stopped. */
export async function runControllers(set: ControllerSet, signal: AbortSignal): Promise<void> {
  const { registry, opts, logger } = set;
  const client = (fieldManager: string) => new InProcessClient(registry, { fieldManager, log: logger });
  const core = await startCoreControllers(registry, signal, logger, opts);
  const schedClient = client('default-scheduler');
  const scheduler = new Scheduler({
    client: schedClient,
    binder: registryBinder(registry),
    events: new EventRecorder(schedClient, { component: 'default-scheduler', log: logger }),
    featureGates: { GangScheduling: opts.featureGates.GangScheduling !== false, GenericWorkload: opts.featureGates.GenericWorkload !== false },
    log: logger,
  });
  const running: Promise<unknown>[] = [
    scheduler.start(signal),
    startComputeControllers(client('workplane-controllers'), signal, { log: logger }),
    clusterRoleAggregationController(client('clusterrole-aggregation-controller'), { log: logger }).start(signal),
  ];
  if (set.signer) running.push(csrController(client('certificate-controller'), { signer: set.signer, log: logger }).start(signal));
  running.push(new TokenCleaner(client('token-cleaner'), { log: logger }).run(signal));
  if (set.dpServer) {
    const keeper = new PublishedAddressKeeper(client('dp-server'), { namespace: set.dpServer.namespace, published: set.dpServer.published, log: logger });
    set.dpServer.keeper?.(keeper);
    running.push(keeper.run(signal).finally(() => set.dpServer!.keeper?.(undefined)));
  }
  running.push(startAppsControllers(client('workplane-controllers'), signal, { log: logger }));
  running.push(startBatchControllers(client('workplane-controllers'), signal, { log: logger }));
  running.push(startServiceControllers(client('workplane-controllers'), signal, { log: logger, allocator: set.serviceAllocator }));
  if (set.mesh) running.push(startMeshControllers(client('workplane-controllers'), signal, { config: set.mesh, log: logger }));
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  await core.stop();
  await Promise.allSettled(running);
}

/** Runs the controllers directly, or under leader election when replicas may share storage. */
export function startControllers(set: ControllerSet, signal: AbortSignal): Promise<void> {
  if (set.opts.storage !== 'etcd') return runControllers(set, signal);
  const elector = new LeaderElector(new InProcessClient(set.registry, { fieldManager: 'workplane-leader-election', log: set.logger }), {
    name: 'workplane-controller-manager',
    identity: `${set.replicaName ?? hostname()}_${randomUUID()}`,
    log: set.logger,
  });
  return elector.run(signal, {
    onStartedLeading: (leaderSignal) => {
      set.logger.info('became leader: starting controllers and scheduler');
      // Every controller and informer listens on it, as on the server's own signal.
      setMaxListeners(0, leaderSignal);
      return runControllers(set, leaderSignal);
    },
    onStoppedLeading: () => set.logger.warn('lost leadership: controllers and scheduler stopped'),
  });
}
