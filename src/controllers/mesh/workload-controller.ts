// Workload generation, one controller for both flows, keyed by
// `namespace/workload`: the Dataplanes of a namespace that carry the same
// `kuma.io/workload` label make one Workload in their mesh. Created on the
// first reference, deleted (when the control plane made it) after the last;
// references in several meshes leave any existing Workload alone and say so
// with a Warning event on the Namespace. WorkloadMeshes keeps each key's
// meshes from Dataplane events, and only a change to that set, or to the
// Workload's existence or labels, queues the key: the status controller's
// writes and the n-th proxy joining a mesh cost nothing here, so a burst of n
// proxies in one Workload is O(n), not O(n²).

import { isConflict, isNotFound, type ApiError } from '../../api/errors.js';
import { MANAGED_BY_CONTROLLER, MANAGED_BY_LABEL, MESH_LABEL } from '../../api/kuma/labels.js';
import type { KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Informer, InformerHandler } from '../../client/informer.js';
import { objectKey, splitKey } from '../../client/object-key.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import type { MeshControllerOptions } from './options.js';
import { DATAPLANES, NAMESPACES, WORKLOADS } from './resources.js';
import { WorkloadMeshes } from './workload-meshes.js';

export const MULTIPLE_MESHES_REASON = 'MultipleMeshesDetected';

export function multipleMeshesEventMessage(namespace: string, meshes: number, workload: string): string {
  return `Skipping Workload generation: namespace ${namespace} has pods in multiple meshes (${meshes} meshes) for workload ${workload}. This configuration is not supported.`;
}

export function workloadController(client: Client, opts: MeshControllerOptions): Controller {
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const workloads = informers.informerFor(WORKLOADS);
  const meshes = new WorkloadMeshes({ onChange: (key) => c.enqueue(key) });
  const r = new WorkloadReconciler(opts, meshes, workloads, informers.informerFor(NAMESPACES), client.resource(WORKLOADS));
  // No for(WORKLOADS): that would queue the key on every status write.
  const c = controllerFor(client, { name: 'workload-controller', informers, workers: opts.workers, log: opts.log }).complete(r);
  // Registered after `c` exists: handlers of a synced informer replay its objects at once.
  // watchWith also makes the workers wait for both informers' first list.
  c.watchWith(informers.informerFor(DATAPLANES), meshes.dataplaneHandler);
  c.watchWith(workloads, workloadHandler((key) => c.enqueue(key)));
  return c;
}

/** Workload events that can change what generation does: creation, deletion, and label changes (not status writes). */
export function workloadHandler(enqueue: (key: string) => void): InformerHandler {
  const queue = (w: KObject) => enqueue(objectKey(w));
  return {
    onAdd: queue,
    onDelete: queue,
    onUpdate: (old, w) => {
      if (!sameLabels(old.metadata.labels, w.metadata.labels)) queue(w);
    },
  };
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b ?? {}).length) return false;
  return ak.every((k) => a![k] === b?.[k]);
}

/** What a reconcile reads about a Workload key's Dataplanes. */
export interface WorkloadMeshSource {
  /** Mesh → number of Dataplanes referencing the key. */
  meshes(workloadKey: string): ReadonlyMap<string, number>;
}

export class WorkloadReconciler {
  constructor(
    private readonly opts: MeshControllerOptions,
    private readonly refs: WorkloadMeshSource,
    private readonly workloads: Informer,
    private readonly namespaces: Informer,
    private readonly writer: ResourceClient,
  ) {}

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ns = namespace!;
    const meshes = this.refs.meshes(key);
    const existing = this.workloads.get(ns, name);
    if (meshes.size > 1) {
      this.warnMultipleMeshes(ns, name, meshes.size);
      return;
    }
    if (meshes.size === 0) {
      if (existing?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_CONTROLLER) await this.remove(existing);
      return;
    }
    const labels = { [MESH_LABEL]: meshes.keys().next().value!, [MANAGED_BY_LABEL]: MANAGED_BY_CONTROLLER };
    if (!existing) return this.create(ns, name, labels);
    const have = existing.metadata.labels ?? {};
    if (have[MESH_LABEL] === labels[MESH_LABEL] && have[MANAGED_BY_LABEL] === labels[MANAGED_BY_LABEL]) return;
    await this.writer.patch(ns, name, 'merge', { metadata: { labels, resourceVersion: existing.metadata.resourceVersion } });
  }

  /**
   * The seed has users look with `kubectl get events -n <namespace>`, so the
   * event is stored in that namespace (EventRecorder files an event in its
   * object's namespace; a Namespace has none, hence the copy).
   */
  private warnMultipleMeshes(ns: string, workload: string, meshes: number): void {
    const nsObj = this.namespaces.get(undefined, ns) ?? { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
    const filed: KObject = { ...nsObj, apiVersion: 'v1', kind: 'Namespace', metadata: { ...nsObj.metadata, namespace: ns } };
    this.opts.recorder?.event(filed, 'Warning', MULTIPLE_MESHES_REASON, multipleMeshesEventMessage(ns, meshes, workload));
  }

  private async create(ns: string, name: string, labels: Record<string, string>): Promise<void> {
    try {
      await this.writer.create(ns, { apiVersion: 'kuma.io/v1alpha1', kind: 'Workload', metadata: { name, namespace: ns, labels }, spec: {} });
    } catch (e) {
      const code = (e as ApiError).code;
      // 409: the informer lags behind a create and its event brings us back; 403/404: the namespace is going away.
      if (code === 409 || code === 403 || code === 404) return;
      throw e;
    }
  }

  private async remove(w: KObject): Promise<void> {
    try {
      await this.writer.delete(w.metadata.namespace, w.metadata.name!, { preconditions: { uid: w.metadata.uid } });
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) return;
      throw e;
    }
  }
}
