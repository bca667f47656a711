// Projects own their namespace: creating Project `p` creates Namespace
// `project-p` (owned by the Project, labelled with it); deleting the Project
// deletes the namespace, and a finalizer keeps the Project (phase
// Terminating) until the namespace and everything in it are gone.

import { isAlreadyExists, isNotFound } from '../../api/errors.js';
import { projectNamespace, projectOfNamespace } from '../../api/compute/project.js';
import { deepEqual, isPlainObject, nowIso, type KObject } from '../../api/object.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Logger } from '../../client/logger.js';
import type { SharedInformers } from '../../client/shared-informers.js';
import type { Client } from '../../client/types.js';
import { mergeConditions, readConditions } from './conditions.js';
import { NAMESPACE_RESOURCE, PROJECTS } from './resources.js';

export const PROJECT_FINALIZER = 'resourcemanager.miloapis.com/project-protection';
export const PROJECT_LABEL = 'resourcemanager.miloapis.com/project';
const PROJECT_API_VERSION = 'resourcemanager.miloapis.com/v1alpha1';

export interface ProjectControllerOptions {
  informers?: SharedInformers;
  log?: Logger;
}

const hasFinalizer = (o: KObject) => (o.metadata.finalizers ?? []).includes(PROJECT_FINALIZER);

export function projectController(client: Client, opts: ProjectControllerOptions = {}): Controller {
  const r = new ProjectReconciler(client);
  const c = controllerFor(client, { name: 'project-controller', informers: opts.informers, log: opts.log })
    .for(PROJECTS)
    .watches(NAMESPACE_RESOURCE, (ns) => projectOfNamespace(ns.metadata.name))
    .complete(r);
  r.informers = c.informers;
  return c;
}

export class ProjectReconciler {
  informers?: SharedInformers;

  constructor(private readonly client: Client) {}

  async reconcile(name: string): Promise<void> {
    const projects = this.client.resource(PROJECTS);
    const p = this.informers ? this.informers.informerFor(PROJECTS).getByKey(name) : await projects.get(undefined, name);
    if (!p) return;
    const nsName = projectNamespace(name);
    const namespaces = this.client.resource(NAMESPACE_RESOURCE);
    const ns = await namespaces.get(undefined, nsName);
    if (p.metadata.deletionTimestamp) return this.finalize(p, ns);
    let project = p;
    if (!hasFinalizer(p)) {
      project = await projects.update(undefined, { ...p, metadata: { ...p.metadata, finalizers: [...(p.metadata.finalizers ?? []), PROJECT_FINALIZER] } });
    }
    let current = ns;
    if (!ns) current = await this.createNamespace(project, nsName);
    else if (!ns.metadata.deletionTimestamp && !ns.metadata.ownerReferences?.some((r) => r.kind === 'Project' && r.controller)) {
      // A namespace made before its project (or by hand) is adopted.
      const ownerReferences = [...(ns.metadata.ownerReferences ?? []), ownerRef(project)];
      current = await namespaces.update(undefined, { ...ns, metadata: { ...ns.metadata, ownerReferences, labels: { ...(ns.metadata.labels ?? {}), [PROJECT_LABEL]: name } } });
    }
    // A namespace still terminating from an earlier project of this name comes back once it is gone.
    const ready = !!current && !current.metadata.deletionTimestamp;
    await this.writeStatus(project, 'Active', ready);
  }

  private async createNamespace(p: KObject, nsName: string): Promise<KObject | undefined> {
    try {
      return await this.client.resource(NAMESPACE_RESOURCE).create(undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: nsName, labels: { [PROJECT_LABEL]: p.metadata.name! }, ownerReferences: [ownerRef(p)] },
      });
    } catch (e) {
      if (isAlreadyExists(e)) return this.client.resource(NAMESPACE_RESOURCE).get(undefined, nsName);
      throw e;
    }
  }

  private async finalize(p: KObject, ns: KObject | undefined): Promise<void> {
    if (!hasFinalizer(p)) return;
    if (ns) {
      if (!ns.metadata.deletionTimestamp) {
        try {
          await this.client.resource(NAMESPACE_RESOURCE).delete(undefined, ns.metadata.name!, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      await this.writeStatus(p, 'Terminating', false);
      return; // the namespace's removal reconciles the project again
    }
    const projects = this.client.resource(PROJECTS);
    const fresh = await projects.get(undefined, p.metadata.name!);
    if (!fresh || !hasFinalizer(fresh)) return;
    await projects.update(undefined, { ...fresh, metadata: { ...fresh.metadata, finalizers: (fresh.metadata.finalizers ?? []).filter((f) => f !== PROJECT_FINALIZER) } });
  }

  private async writeStatus(p: KObject, phase: 'Active' | 'Terminating', ready: boolean): Promise<void> {
    const old = isPlainObject(p.status) ? p.status : {};
    const nsName = projectNamespace(p.metadata.name!);
    const condition = ready
      ? { type: 'Ready', status: 'True' as const, reason: 'NamespaceReady', message: `Namespace ${nsName} is ready` }
      : phase === 'Terminating'
        ? { type: 'Ready', status: 'False' as const, reason: 'Terminating', message: `Deleting namespace ${nsName} and everything in it` }
        : { type: 'Ready', status: 'False' as const, reason: 'NamespaceTerminating', message: `Waiting for namespace ${nsName} from an earlier project to finish terminating` };
    const status = { ...old, namespace: nsName, phase, conditions: mergeConditions(readConditions(old), [condition], [], nowIso()) };
    if (deepEqual(old, status)) return;
    try {
      await this.client.resource(PROJECTS).updateStatus(undefined, { ...p, status });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

const ownerRef = (p: KObject) => ({ apiVersion: PROJECT_API_VERSION, kind: 'Project', name: p.metadata.name!, uid: p.metadata.uid!, controller: true });
