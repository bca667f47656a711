// Test support for the client layer and the controllers built on it: a real
// Registry over the memory storage backend, with small test kinds whose bodies
// are open objects so tests can write whatever spec they need.

import { Type } from '@sinclair/typebox';
import { defineResource, type ResourceDefinition } from '../api/definition.js';
import { opt, openObject } from '../api/schemas/index.js';
import { AdmissionChain } from '../registry/admission.js';
import { Registry } from '../registry/registry.js';
import { WatchCache } from '../registry/watch-cache.js';
import { openStore } from '../storage/open-store.js';
import type { Store } from '../storage/types.js';
import { InProcessClient } from './in-process-client.js';
import { silentLogger } from './logger.js';
import type { KObject } from '../api/object.js';

const body = Type.Object(
  { spec: opt(openObject('Anything.')), status: opt(openObject('Anything.')) },
  { description: 'A test object.' },
);

export const widgetDefinition: ResourceDefinition = defineResource({
  group: 'test.workplane.dev',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  singular: 'widget',
  namespaced: true,
  schema: body,
  subresources: { status: true },
});

/** Cluster-scoped, to test cluster-scoped owners. */
export const gizmoDefinition: ResourceDefinition = defineResource({
  group: 'test.workplane.dev',
  version: 'v1',
  kind: 'Gizmo',
  plural: 'gizmos',
  singular: 'gizmo',
  namespaced: false,
  schema: body,
});

export const WIDGETS = { group: 'test.workplane.dev', version: 'v1', resource: 'widgets' };
export const GIZMOS = { group: 'test.workplane.dev', version: 'v1', resource: 'gizmos' };

export interface TestApi {
  registry: Registry;
  admission: AdmissionChain;
  cache: WatchCache;
  storage: Store;
  client: InProcessClient;
  close(): Promise<void>;
}

export async function startTestApi(defs: ResourceDefinition[] = [widgetDefinition, gizmoDefinition], historyPerResource?: number): Promise<TestApi> {
  const storage = await openStore({ kind: 'memory' });
  const cache = new WatchCache(storage, historyPerResource);
  await cache.start();
  const admission = new AdmissionChain();
  const registry = new Registry({ storage, cache, admission });
  for (const d of defs) registry.add(d);
  const client = new InProcessClient(registry, { fieldManager: 'test', log: silentLogger });
  return {
    registry,
    admission,
    cache,
    storage,
    client,
    async close() {
      cache.stop();
      await storage.close();
    },
  };
}

export const widget = (namespace: string, name: string, extra: Partial<KObject> = {}): KObject => ({
  apiVersion: 'test.workplane.dev/v1',
  kind: 'Widget',
  ...extra,
  metadata: { name, namespace, ...(extra.metadata ?? {}) },
});

/** Polls `check` on each turn of the event loop (no timers in assertions) until it is true. */
export async function eventually(check: () => boolean | Promise<boolean>, what = 'condition', limitMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
