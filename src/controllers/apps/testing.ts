// Test support for the workload controllers (apps, batch, services): a real
// in-process registry serving the core, apps, batch and discovery kinds, with
// service allocation admission, the garbage collector, the real scheduler and
// simulated node agents (pods get IPs, become Ready, and exit as their
// workplane.dev/simulate-* annotations say), and the controllers under test.

import { setMaxListeners } from 'node:events';
import { appsDefinitions } from '../../api/apps/index.js';
import { batchDefinitions } from '../../api/batch/index.js';
import { coreDefinitions } from '../../api/core/index.js';
import { endpointSliceDefinition } from '../../api/discovery/endpoint-slice.js';
import { ingressDefinition } from '../../api/networking/ingress.js';
import type { KObject } from '../../api/object.js';
import { startInProcessAgent, type InProcessAgent } from '../../agent/in-process.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { silentLogger } from '../../client/logger.js';
import { startTestApi, type TestApi } from '../../client/testing.js';
import { Scheduler, registryBinder } from '../../scheduler/index.js';
import { startBatchControllers, type Clock } from '../batch/index.js';
import { runCoreControllers } from '../core/index.js';
import { ServiceAllocator, StoredAddressBook, serviceAdmissionPlugins, serviceRanges, startServiceControllers } from '../services/index.js';
import { startAppsControllers } from './index.js';

export interface WorkloadTestEnv {
  api: TestApi;
  agent?: InProcessAgent;
  close(): Promise<void>;
}

export interface WorkloadTestOptions {
  /** Simulated nodes (default 3; 0 runs no scheduler nor agent). */
  nodes?: number;
  clock?: Clock;
  podFailureBackoffMs?: number;
  controllers?: { apps?: boolean; batch?: boolean; services?: boolean };
}

export async function startWorkloadEnv(opts: WorkloadTestOptions = {}): Promise<WorkloadTestEnv> {
  const api = await startTestApi([...coreDefinitions, ...appsDefinitions, ...batchDefinitions, endpointSliceDefinition, ingressDefinition]);
  const allocator = new ServiceAllocator(serviceRanges(), new StoredAddressBook(api.registry));
  for (const p of serviceAdmissionPlugins(api.registry, allocator)) api.admission.register(p);
  const abort = new AbortController();
  setMaxListeners(0, abort.signal);
  const { client } = api;
  const on = { apps: true, batch: true, services: true, ...opts.controllers };
  const running: Promise<unknown>[] = [runCoreControllers(client, abort.signal, { log: silentLogger })];
  if (on.apps) running.push(startAppsControllers(client, abort.signal, { log: silentLogger }));
  if (on.batch) running.push(startBatchControllers(client, abort.signal, { log: silentLogger, clock: opts.clock, podFailureBackoffMs: opts.podFailureBackoffMs ?? 50 }));
  if (on.services) running.push(startServiceControllers(client, abort.signal, { log: silentLogger, allocator }));
  const nodes = opts.nodes ?? 3;
  let agent: InProcessAgent | undefined;
  if (nodes > 0) {
    const scheduler = new Scheduler({ client, binder: registryBinder(api.registry), events: new EventRecorder(client, { component: 'default-scheduler', log: silentLogger }), log: silentLogger });
    running.push(scheduler.start(abort.signal));
    agent = await startInProcessAgent(client, { nodes, runtime: 'simulated', log: silentLogger, recordEvents: false });
  }
  return {
    api,
    agent,
    async close() {
      await agent?.stop();
      abort.abort();
      await Promise.allSettled(running);
      await api.close();
    },
  };
}

/** Events about an object, oldest first, as `Reason: message`. */
export async function eventsFor(api: TestApi, namespace: string, name: string): Promise<string[]> {
  const list = (await api.client.resource({ group: '', version: 'v1', resource: 'events' }).list(namespace)).items;
  return list
    .filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name)
    .sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp)) || String(a.metadata.name).localeCompare(String(b.metadata.name)))
    .map((e) => `${String(e.reason)}: ${String(e.message)}`);
}

export const conditionOf = (o: KObject | undefined, type: string): Record<string, unknown> | undefined =>
  ((o?.status as { conditions?: Record<string, unknown>[] } | undefined)?.conditions ?? []).find((c) => c.type === type);
