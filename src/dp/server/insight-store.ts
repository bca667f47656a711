// Read-modify-write of DataplaneInsight status, shared by everything that
// records facts about a proxy (connections now, certificates later). Writes
// to one insight are serialized in-process and retried on conflict, so
// concurrent writers (another stream, the identity issuer) never lose updates.

import { isConflict, isAlreadyExists } from '../../api/errors.js';
import { isPlainObject, type KObject } from '../../api/object.js';
import { MESH_LABEL } from '../../api/kuma/labels.js';
import type { Client, ResourceClient } from '../../client/types.js';

const GVR = { group: 'kuma.io', version: 'v1alpha1', resource: 'dataplaneinsights' };
const MAX_ATTEMPTS = 8;

export type InsightStatus = Record<string, unknown>;

/** Changes `status` in place; returns false when nothing changed (no write). */
export type StatusMutation = (status: InsightStatus) => boolean;

export class InsightStore {
  private readonly insights: ResourceClient;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(client: Client) {
    this.insights = client.resource(GVR);
  }

  /**
   * Applies `mutate` to the insight of `dataplane`. With `owner` the insight is
   * created when missing, owned by that Dataplane (deleted with it); without,
   * a missing insight is left missing.
   */
  update(namespace: string, name: string, mutate: StatusMutation, owner?: KObject): Promise<void> {
    const key = `${namespace}/${name}`;
    const prev = this.queues.get(key) ?? Promise.resolve();
    const next = prev.then(() => this.apply(namespace, name, mutate, owner));
    const tail = next.catch(() => {});
    this.queues.set(key, tail);
    void tail.then(() => {
      if (this.queues.get(key) === tail) this.queues.delete(key);
    });
    return next;
  }

  get(namespace: string, name: string): Promise<KObject | undefined> {
    return this.insights.get(namespace, name);
  }

  list(): Promise<KObject[]> {
    return this.insights.list().then((l) => l.items);
  }

  private async apply(namespace: string, name: string, mutate: StatusMutation, owner?: KObject): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let cur = await this.insights.get(namespace, name);
      if (!cur) {
        if (!owner) return;
        cur = await this.createFor(namespace, name, owner);
      }
      const status = isPlainObject(cur.status) ? cur.status : {};
      if (!mutate(status)) return;
      cur.status = status;
      try {
        await this.insights.updateStatus(namespace, cur);
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= MAX_ATTEMPTS) throw e;
      }
    }
  }

  private async createFor(namespace: string, name: string, owner: KObject): Promise<KObject> {
    const obj: KObject = {
      apiVersion: 'kuma.io/v1alpha1',
      kind: 'DataplaneInsight',
      metadata: {
        name,
        namespace,
        ...(owner.metadata.labels?.[MESH_LABEL] ? { labels: { [MESH_LABEL]: owner.metadata.labels[MESH_LABEL] } } : {}),
        ownerReferences: [{ apiVersion: 'kuma.io/v1alpha1', kind: 'Dataplane', name: owner.metadata.name!, uid: owner.metadata.uid! }],
      },
    };
    try {
      return await this.insights.create(namespace, obj);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const raced = await this.insights.get(namespace, name);
      if (!raced) throw e;
      return raced;
    }
  }
}
