// Workload generation, one controller for both flows, keyed by
// `namespace/workload`: the Dataplanes of a namespace that carry the same
// `kuma.io/workload` label make one Workload in their mesh. Created on the
// first reference, deleted (when the control plane made it) after the last;
// references in several meshes leave any existing Workload alone and say so
// with a Warning event on the Namespace. The informer index BY_WORKLOAD makes
// each reconcile read only that workload's Dataplanes.

import { isConflict, isNotFound, type ApiError } from '../../api/errors.js';
import { MANAGED_BY_CONTROLLER, MANAGED_BY_LABEL, MESH_LABEL, meshOf } from '../../api/kuma/labels.js';
import type { KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import { splitKey } from '../../client/object-key.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import type { MeshControllerOptions } from './options.js';
import { BY_WORKLOAD, NAMESPACES, WORKLOADS, dataplaneInformer, workloadKeyOf } from './resources.js';

export const MULTIPLE_MESHES_REASON = 'MultipleMeshesDetected';

export function multipleMeshesEventMessage(namespace: string, meshes: number, workload: string): string {
  return `Skipping Workload generation: namespace ${namespace} has pods in multiple meshes (${meshes} meshes) for workload ${workload}. This configuration is not supported.`;
}

export function workloadController(client: Client, opts: MeshControllerOptions): Controller {
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const dataplanes = dataplaneInformer(informers);
  const r = new WorkloadReconciler(opts, dataplanes, informers.informerFor(WORKLOADS), informers.informerFor(NAMESPACES), client.resource(WORKLOADS));
  const c = controllerFor(client, { name: 'workload-controller', informers, workers: opts.workers, log: opts.log }).for(WORKLOADS).complete(r);
  // Health and address changes cannot change which Workloads exist: only adds, deletes and moves between workloads or meshes count.
  const enqueue = (dp: KObject) => {
    const k = workloadKeyOf(dp);
    if (k) c.enqueue(k);
  };
  c.watchWith(dataplanes, {
    onAdd: enqueue,
    onDelete: enqueue,
    onUpdate: (old, dp) => {
      if (workloadKeyOf(old) === workloadKeyOf(dp) && meshOf(old) === meshOf(dp)) return;
      enqueue(old);
      enqueue(dp);
    },
  });
  return c;
}

export class WorkloadReconciler {
  constructor(
    private readonly opts: MeshControllerOptions,
    private readonly dataplanes: Informer,
    private readonly workloads: Informer,
    private readonly namespaces: Informer,
    private readonly writer: ResourceClient,
  ) {}

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const ns = namespace!;
    const refs = this.dataplanes.byIndex(BY_WORKLOAD, key);
    const meshes = new Set(refs.map(meshOf));
    const existing = this.workloads.get(ns, name);
    if (meshes.size > 1) {
      this.warnMultipleMeshes(ns, name, meshes.size);
      return;
    }
    if (refs.length === 0) {
      if (existing?.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_CONTROLLER) await this.remove(existing);
      return;
    }
    const labels = { [MESH_LABEL]: [...meshes][0], [MANAGED_BY_LABEL]: MANAGED_BY_CONTROLLER };
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
