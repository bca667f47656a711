// The Universal flow's registration through the DP server: the proxy sends its
// Dataplane in hello and the control plane creates or updates it under the
// token's authority (a proxy holds no API credentials), then deletes it again
// when the proxy says goodbye. An existing Dataplane is only overwritten when
// the credential could have registered it too.

import { isAlreadyExists, isConflict, isNotFound } from '../../api/errors.js';
import { deepEqual, isPlainObject, type KObject } from '../../api/object.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { invalidArgument } from './dp-error.js';

export const DATAPLANE_GVR = { group: 'kuma.io', version: 'v1alpha1', resource: 'dataplanes' };
const MAX_ATTEMPTS = 8;

/** Throws when the credential may not act for this Dataplane. */
export type DataplaneCheck = (dp: KObject) => Promise<void>;

/** The object as it will be stored: identity from hello, only user-settable fields. */
export function normalizeDataplane(sent: KObject, namespace: string, name: string): KObject {
  const meta = sent.metadata;
  if (meta.name !== undefined && meta.name !== name) throw invalidArgument(`dataplane name "${meta.name}" does not match hello name "${name}"`);
  if (meta.namespace !== undefined && meta.namespace !== namespace) {
    throw invalidArgument(`dataplane namespace "${meta.namespace}" does not match hello namespace "${namespace}"`);
  }
  if (sent.kind !== undefined && sent.kind !== 'Dataplane') throw invalidArgument(`expected kind Dataplane, got "${sent.kind}"`);
  return {
    apiVersion: 'kuma.io/v1alpha1',
    kind: 'Dataplane',
    metadata: {
      name,
      namespace,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
    },
    ...(sent.spec !== undefined ? { spec: sent.spec } : {}),
  };
}

type Inbound = Record<string, unknown>;
const inbounds = (dp: KObject): Inbound[] => {
  const net = isPlainObject(dp.spec) && isPlainObject(dp.spec.networking) ? dp.spec.networking : {};
  return Array.isArray(net.inbound) ? net.inbound.filter(isPlainObject) : [];
};

/** Health is the proxy's report, not the file's: a re-registration keeps what was reported. */
function keepReportedHealth(next: KObject, prev: KObject): void {
  const old = new Map(inbounds(prev).map((i) => [i.port, i.health]));
  for (const inb of inbounds(next)) if (inb.health === undefined && old.get(inb.port) !== undefined) inb.health = old.get(inb.port);
}

export class DataplaneRegistration {
  private readonly dataplanes: ResourceClient;

  constructor(client: Client) {
    this.dataplanes = client.resource(DATAPLANE_GVR);
  }

  get(namespace: string, name: string): Promise<KObject | undefined> {
    return this.dataplanes.get(namespace, name);
  }

  /** Creates or updates `desired` (already normalized) after `check` passes for it and for any Dataplane it replaces. */
  async register(desired: KObject, check: DataplaneCheck): Promise<KObject> {
    await check(desired);
    const { namespace, name } = desired.metadata;
    for (let attempt = 1; ; attempt++) {
      const cur = await this.dataplanes.get(namespace, name!);
      try {
        if (!cur) return await this.dataplanes.create(namespace, structuredClone(desired));
        await check(cur);
        const next = structuredClone(desired);
        keepReportedHealth(next, cur);
        const same = deepEqual(next.spec, cur.spec) && deepEqual(next.metadata.labels ?? {}, cur.metadata.labels ?? {}) &&
          deepEqual(next.metadata.annotations ?? {}, cur.metadata.annotations ?? {});
        if (same) return cur;
        next.metadata = { ...cur.metadata, labels: next.metadata.labels, annotations: next.metadata.annotations };
        if (!next.metadata.labels) delete next.metadata.labels;
        if (!next.metadata.annotations) delete next.metadata.annotations;
        return await this.dataplanes.update(namespace, next);
      } catch (e) {
        if (!(isConflict(e) || isAlreadyExists(e)) || attempt >= MAX_ATTEMPTS) throw e;
      }
    }
  }

  /** Deletes the Dataplane if it is still the one registered (same uid). */
  async deregister(dp: KObject): Promise<void> {
    try {
      await this.dataplanes.delete(dp.metadata.namespace, dp.metadata.name!, { preconditions: { uid: dp.metadata.uid } });
    } catch (e) {
      if (!isNotFound(e) && !isConflict(e)) throw e;
    }
  }
}
