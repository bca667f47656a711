// Objects that exist from the first start: the system namespaces.

import type { KObject } from '../api/object.js';
import type { Registry } from '../registry/registry.js';
import { SYSTEM_USER } from './system-user.js';

export async function ensureNamespaces(registry: Registry, names: string[]): Promise<void> {
  const store = registry.forKind('', 'Namespace')!;
  for (const name of names) {
    const obj: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
    try {
      await store.create(undefined, obj, { user: SYSTEM_USER, dryRun: false, fieldManager: 'workplane' });
    } catch (e) {
      if ((e as { reason?: string }).reason !== 'AlreadyExists') throw e;
    }
  }
}
