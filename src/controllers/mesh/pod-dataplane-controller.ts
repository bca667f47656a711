// The Kubernetes flow: every meshed Pod with an IP has a Dataplane of the same
// name, controlled by the Pod (so the garbage collector removes it with the
// Pod), whose labels and inbounds follow the Pod. Level-based: each reconcile
// re-reads the Pod, its Namespace and the Dataplane from the informers and
// writes only when the Dataplane differs from what it should be.

import { isConflict, isNotFound, type ApiError } from '../../api/errors.js';
import { deepEqual, type KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import { objectKey, splitKey } from '../../client/object-key.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import type { Informer } from '../../client/informer.js';
import { isPodMeshed } from '../../mesh/pod-mesh.js';
import type { MeshControllerOptions } from './options.js';
import { controllingPod, dataplaneForPod, isPodTerminal } from './dataplane-for-pod.js';
import { BY_NAMESPACE, DATAPLANES, NAMESPACES, PODS, SERVICES, dataplaneInformer, podInformer, serviceInformer, serviceSelects } from './resources.js';

export function podDataplaneController(client: Client, opts: MeshControllerOptions): Controller {
  const informers = opts.informers ?? new SharedInformers(client, { log: opts.log });
  const pods = podInformer(informers);
  // Inbounds follow the Services selecting a pod, when Services are served.
  const services = client.forKind('v1', 'Service') ? serviceInformer(informers) : undefined;
  const r = new PodDataplaneReconciler(opts, pods, informers.informerFor(NAMESPACES), dataplaneInformer(informers), client.resource(DATAPLANES), services);
  let b = controllerFor(client, { name: 'pod-dataplane-controller', informers, workers: opts.workers, log: opts.log })
    .for(PODS)
    .owns(DATAPLANES)
    .watches(NAMESPACES, (ns) => pods.byIndex(BY_NAMESPACE, ns.metadata.name!).map(objectKey));
  // A Service change (old and new selector alike) reconciles the pods it selects.
  if (services) b = b.watches(SERVICES, (svc) => pods.byIndex(BY_NAMESPACE, svc.metadata.namespace ?? '').filter((p) => serviceSelects(svc, p)).map(objectKey));
  return b.complete(r);
}

export class PodDataplaneReconciler {
  constructor(
    private readonly opts: MeshControllerOptions,
    private readonly pods: Informer,
    private readonly namespaces: Informer,
    private readonly dataplanes: Informer,
    private readonly writer: ResourceClient,
    private readonly services?: Informer,
  ) {}

  private servicesOf(pod: KObject): KObject[] {
    if (!this.services) return [];
    return this.services.byIndex(BY_NAMESPACE, pod.metadata.namespace ?? '').filter((s) => serviceSelects(s, pod));
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const pod = this.pods.get(namespace, name);
    const dp = this.dataplanes.get(namespace, name);
    const ours = dp && controllingPod(dp);
    if (!pod || isPodTerminal(pod) || !isPodMeshed(pod, this.namespaces.get(undefined, namespace!))) {
      if (ours) await this.remove(dp);
      return;
    }
    const want = dataplaneForPod(pod, this.namespaces.get(undefined, namespace!), this.opts.config, this.servicesOf(pod));
    if (!want) return; // no IP yet: the pod's status update brings us back
    if (!dp) return this.create(want);
    if (!ours) {
      // A Dataplane registered directly under the pod's name: never take it over.
      this.opts.recorder?.event(pod, 'Warning', 'DataplaneExists', `Dataplane ${key} exists and is not managed by this Pod; no Dataplane was generated`);
      return;
    }
    const m = dp.metadata;
    if (deepEqual(m.labels ?? {}, want.metadata.labels) && deepEqual(m.ownerReferences, want.metadata.ownerReferences) && deepEqual(dp.spec, want.spec)) return;
    // The cached object is shared and read-only: write a copy, guarded by its resourceVersion.
    const next: KObject = { ...dp, metadata: { ...m, labels: want.metadata.labels, ownerReferences: want.metadata.ownerReferences }, spec: want.spec };
    await this.writer.update(namespace, next);
  }

  private async create(want: KObject): Promise<void> {
    try {
      await this.writer.create(want.metadata.namespace, want);
    } catch (e) {
      const code = (e as ApiError).code;
      // AlreadyExists: the informer lags; its event brings us back. 403/404: the namespace is going away.
      if (code === 409 || code === 403 || code === 404) return;
      throw e;
    }
  }

  private async remove(dp: KObject): Promise<void> {
    try {
      await this.writer.delete(dp.metadata.namespace, dp.metadata.name!, { preconditions: { uid: dp.metadata.uid } });
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) return;
      throw e;
    }
  }
}
