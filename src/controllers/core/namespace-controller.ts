// Empties terminating namespaces. A deleted namespace stays (phase Terminating)
// while `kubernetes` is in spec.finalizers; this controller deletes every
// namespaced object in it, waits for objects held by finalizers or grace
// periods, then removes `kubernetes` through the finalize subresource, after
// which the API server removes the namespace.

import { isConflict, isNotFound, type ApiError } from '../../api/errors.js';
import { nowIso, type KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Logger } from '../../client/logger.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { deletionConditions, mergeConditions, type DeletionReport } from './namespace-conditions.js';

export const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
export const NAMESPACE_FINALIZER = 'kubernetes';

export interface NamespaceControllerOptions {
  informers?: SharedInformers;
  log?: Logger;
  workers?: number;
}

const specFinalizers = (ns: KObject): string[] => ((ns.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).slice();

export function namespaceController(client: Client, opts: NamespaceControllerOptions = {}): Controller {
  const r = new NamespaceReconciler(client);
  return controllerFor(client, { name: 'namespace-controller', workers: opts.workers ?? 2, informers: opts.informers, log: opts.log })
    .watches(NAMESPACES, (ns) => (ns.metadata.deletionTimestamp ? ns.metadata.name : undefined))
    .complete(r);
}

export class NamespaceReconciler {
  /** Passes spent waiting per namespace: the wait grows 100ms → 5s while content lingers. */
  private readonly waits = new Map<string, number>();

  constructor(private readonly client: Client) {}

  async reconcile(name: string): Promise<{ requeueAfter: number } | void> {
    const namespaces = this.client.resource(NAMESPACES);
    const ns = await namespaces.get(undefined, name);
    if (!ns || !ns.metadata.deletionTimestamp || !specFinalizers(ns).includes(NAMESPACE_FINALIZER)) {
      this.waits.delete(name);
      return;
    }
    const { report, deleted } = await this.deleteContent(name);
    const conditions = mergeConditions(ns, deletionConditions(report), nowIso());
    if (conditions) {
      try {
        await namespaces.updateStatus(undefined, { ...ns, status: { ...(ns.status as object), conditions } });
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e)) throw e;
      }
    }
    if (report.failures.length) throw new Error(`namespace ${name}: ${report.failures.join('; ')}`);
    // Finalize only after a pass that found nothing at all: an object created just
    // before the namespace started terminating may land after this pass's list.
    if (deleted > 0) return { requeueAfter: 0 };
    if (report.remaining.size > 0) {
      const n = this.waits.get(name) ?? 0;
      this.waits.set(name, n + 1);
      return { requeueAfter: Math.min(100 * 2 ** n, 5000) };
    }
    this.waits.delete(name);
    const latest = (await namespaces.get(undefined, name)) ?? ns;
    const finalizers = specFinalizers(latest).filter((f) => f !== NAMESPACE_FINALIZER);
    try {
      await namespaces.update(undefined, { ...latest, spec: { ...(latest.spec as object), finalizers } }, { subresource: 'finalize' });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  /** Deletes what is left in the namespace and reports what still stands. */
  private async deleteContent(namespace: string): Promise<{ report: DeletionReport; deleted: number }> {
    const report: DeletionReport = { remaining: new Map(), finalizers: new Map(), failures: [] };
    let deleted = 0;
    const count = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const rc of this.client.resources()) {
      if (!rc.namespaced) continue;
      const what = `${rc.gvr.resource}.${rc.gvr.group}`;
      let items: KObject[];
      try {
        items = (await rc.list(namespace)).items;
      } catch (e) {
        report.failures.push(`${what}: ${(e as Error).message}`);
        continue;
      }
      for (const obj of items) {
        let left: KObject | undefined = obj;
        if (!obj.metadata.deletionTimestamp) {
          const r = await this.remove(rc, obj, report, what);
          if (r.acted) deleted++;
          left = r.left;
        }
        if (!left) continue;
        count(report.remaining, what);
        for (const f of left.metadata.finalizers ?? []) count(report.finalizers, f);
      }
    }
    return { report, deleted };
  }

  /** What the delete left (undefined once gone); `acted` when it changed anything. */
  private async remove(rc: ResourceClient, obj: KObject, report: DeletionReport, what: string): Promise<{ left?: KObject; acted: boolean }> {
    try {
      const left = await rc.delete(obj.metadata.namespace, obj.metadata.name!, { propagationPolicy: 'Background', preconditions: { uid: obj.metadata.uid } });
      return { left: left.metadata?.deletionTimestamp ? left : undefined, acted: true };
    } catch (e) {
      const code = (e as ApiError).code;
      if (code === 404) return { acted: true };
      if (code === 409) return { left: obj, acted: true }; // replaced meanwhile: the next pass sees the new one
      if (code === 405) return { acted: false }; // not deletable: nothing to wait for
      report.failures.push(`${what}: ${(e as Error).message}`);
      return { left: obj, acted: false };
    }
  }
}
