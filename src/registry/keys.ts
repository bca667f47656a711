// Storage keys: /registry/<group>/<resource>/<namespace>/<name> (core group is `core`).

import type { ResourceDefinition } from '../api/definition.js';

export const REGISTRY_PREFIX = '/registry/';

export const resourcePrefix = (def: Pick<ResourceDefinition, 'group' | 'plural'>): string =>
  `${REGISTRY_PREFIX}${def.group || 'core'}/${def.plural}/`;

export function keyFor(def: ResourceDefinition, namespace: string | undefined, name: string): string {
  return def.namespaced ? `${resourcePrefix(def)}${namespace}/${name}` : `${resourcePrefix(def)}${name}`;
}

/** The prefix for a list: the whole resource, or one namespace of it. */
export function listPrefix(def: ResourceDefinition, namespace: string | undefined): string {
  return def.namespaced && namespace ? `${resourcePrefix(def)}${namespace}/` : resourcePrefix(def);
}

/** The resource prefix (bucket) a key belongs to. */
export function bucketOf(key: string): string {
  let slashes = 0;
  for (let i = 0; i < key.length; i++) {
    if (key.charCodeAt(i) === 47 && ++slashes === 4) return key.slice(0, i + 1);
  }
  return key;
}
