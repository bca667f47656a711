// What the controller did that its pod informer has not shown yet. A create
// or delete is seen by the informer a moment after it returns; until then a
// reconcile would count the created pod as missing (and create another) or
// the deleted pod as present (and delete another). Entries go when the
// informer reports the change, or after a timeout in case it never does.

import type { KObject } from '../../api/object.js';

interface Pending {
  created: Map<string, { pod: KObject; at: number }>;
  deleted: Map<string, number>;
}

export class Expectations {
  private readonly byWorkload = new Map<string, Pending>();

  constructor(private readonly ttlMs = 60_000) {}

  private entry(key: string): Pending {
    let e = this.byWorkload.get(key);
    if (!e) this.byWorkload.set(key, (e = { created: new Map(), deleted: new Map() }));
    return e;
  }

  created(key: string, pod: KObject): void {
    this.entry(key).created.set(pod.metadata.name!, { pod, at: Date.now() });
  }

  deleted(key: string, podName: string): void {
    this.entry(key).deleted.set(podName, Date.now());
  }

  /** The informer showed the pod (created) or its deletion. */
  observe(key: string, pod: KObject, gone: boolean): void {
    const e = this.byWorkload.get(key);
    if (!e) return;
    const name = pod.metadata.name!;
    e.created.delete(name);
    if (gone || pod.metadata.deletionTimestamp) e.deleted.delete(name);
  }

  forget(key: string): void {
    this.byWorkload.delete(key);
  }

  /**
   * The pods as they stand once our own writes land: `observed` (the informer's
   * view) plus pods created but not yet seen, with pods we deleted shown as
   * terminating.
   */
  view(key: string, observed: readonly KObject[]): KObject[] {
    const e = this.byWorkload.get(key);
    if (!e) return [...observed];
    const now = Date.now();
    for (const [name, c] of e.created) if (now - c.at > this.ttlMs) e.created.delete(name);
    for (const [name, at] of e.deleted) if (now - at > this.ttlMs) e.deleted.delete(name);
    const out: KObject[] = [];
    const seen = new Set<string>();
    for (const pod of observed) {
      const name = pod.metadata.name!;
      seen.add(name);
      if (e.deleted.has(name) && !pod.metadata.deletionTimestamp) {
        out.push({ ...pod, metadata: { ...pod.metadata, deletionTimestamp: new Date(now).toISOString() } });
      } else out.push(pod);
    }
    for (const [name, c] of e.created) if (!seen.has(name) && !e.deleted.has(name)) out.push(c.pod);
    if (!e.created.size && !e.deleted.size) this.byWorkload.delete(key);
    return out;
  }
}
