// Serves what CustomResourceDefinitions define, on every replica: a level-based
// reconciler that, per CRD, checks its names, swaps the served definitions in
// the registry, writes the NamesAccepted / Established / Terminating conditions,
// and on deletion removes every object of the kind before releasing the CRD's
// cleanup finalizer. Status writes are idempotent, so replicas may race.

import type { ResourceDefinition } from '../../api/definition.js';
import { isNotFound } from '../../api/errors.js';
import { nowIso, type KObject } from '../../api/object.js';
import { definitionsForCrd } from '../../api/apiextensions/crd-definitions.js';
import { CLEANUP_FINALIZER, CRD_GROUP, crdConditions, crdSpec, type CrdCondition, type CrdNames } from '../../api/apiextensions/crd-types.js';
import { controllerFor, type Controller } from '../../client/controller.js';
import type { Informer } from '../../client/informer.js';
import type { Logger } from '../../client/logger.js';
import { stderrLogger } from '../../client/logger.js';
import { SharedInformers } from '../../client/shared-informers.js';
import type { Client, ResourceClient } from '../../client/types.js';
import { acceptedNamesOf, checkNames, type TakenNames } from './names.js';

export const CRDS = { group: CRD_GROUP, version: 'v1', resource: 'customresourcedefinitions' };

/** What the controller needs from the server: the set of served definitions (the Registry implements it). */
export interface ServedDefinitions {
  setDynamic(owner: string, defs: ResourceDefinition[]): unknown;
  removeDynamic(owner: string): void;
  /** Names of resources the server serves itself in `group` (never shadowed by a CRD). */
  builtInNames(group: string): TakenNames[];
}

/** How often a terminating CRD checks whether its objects are gone (their finalizers may hold them). */
const CLEANUP_POLL_MS = 1000;

export class CrdReconciler {
  private readonly served = new Map<string, string>();
  private readonly log: Logger;

  constructor(
    private readonly client: Client,
    private readonly crds: Informer,
    private readonly server: ServedDefinitions,
    opts: { log?: Logger } = {},
  ) {
    this.log = opts.log ?? stderrLogger;
  }

  async reconcile(name: string): Promise<{ requeueAfter?: number } | void> {
    const crd = this.crds.get(undefined, name);
    if (!crd) {
      this.stopServing(name);
      return;
    }
    const names = this.serve(crd);
    await this.writeStatus(crd, names);
    if (crd.metadata.deletionTimestamp && (crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return this.cleanUp(crd, names);
  }

  /** Serves the CRD under the names it may use; returns those names (undefined: not served). */
  serve(crd: KObject): CrdNames | undefined {
    const name = crd.metadata.name!;
    const verdict = checkNames(crd, this.takenNames(crd));
    const names = verdict.accepted ? crdSpec(crd).names : acceptedNamesOf(crd);
    if (!names) {
      this.stopServing(name);
      return undefined;
    }
    const terminating = !!crd.metadata.deletionTimestamp;
    const fingerprint = JSON.stringify([crd.spec, names, terminating]);
    if (this.served.get(name) !== fingerprint) {
      this.server.setDynamic(name, definitionsForCrd(crd, { names, terminating }));
      this.served.set(name, fingerprint);
      this.log.info({ crd: name, versions: crdSpec(crd).versions.filter((v) => v.served).map((v) => v.name) }, 'serving custom resource');
    }
    return names;
  }

  private stopServing(name: string): void {
    if (!this.served.has(name)) return;
    this.server.removeDynamic(name);
    this.served.delete(name);
  }

  private takenNames(crd: KObject): TakenNames[] {
    const group = crdSpec(crd).group;
    const taken = [...this.server.builtInNames(group)];
    for (const other of this.crds.list()) {
      if (other.metadata.name === crd.metadata.name || crdSpec(other).group !== group) continue;
      const a = acceptedNamesOf(other);
      if (a) taken.push(a);
    }
    return taken;
  }

  private async writeStatus(crd: KObject, names: CrdNames | undefined): Promise<void> {
    const verdict = checkNames(crd, this.takenNames(crd));
    const want: CrdCondition[] = [
      { type: 'NamesAccepted', status: verdict.accepted ? 'True' : 'False', reason: verdict.reason, message: verdict.message },
      names
        ? { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }
        : { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
    ];
    const terminating = crdConditions(crd).find((c) => c.type === 'Terminating');
    if (terminating) want.push(terminating);
    const old = crdConditions(crd);
    const conditions = want.map((c) => {
      const prev = old.find((o) => o.type === c.type);
      return { ...c, lastTransitionTime: prev && prev.status === c.status ? (prev.lastTransitionTime ?? nowIso()) : nowIso() };
    });
    const acceptedNames = names ?? acceptedNamesOf(crd) ?? { plural: '', kind: '' };
    const status = { ...(crd.status as Record<string, unknown>), conditions, acceptedNames };
    if (JSON.stringify(status) === JSON.stringify(crd.status)) return;
    await this.client.resource(CRDS).updateStatus(undefined, { ...crd, status });
  }

  /** Deletes every object of the kind; releases the finalizer once none is left. */
  private async cleanUp(crd: KObject, names: CrdNames | undefined): Promise<{ requeueAfter?: number } | void> {
    const rc = names ? this.objects(crd, names) : undefined;
    if (rc) {
      const items = (await rc.list()).items;
      if (items.length) await this.setTerminating(crd, 'InstanceDeletionInProgress', 'CustomResource deletion is in progress');
      for (const o of items) {
        if (o.metadata.deletionTimestamp) continue;
        try {
          await rc.delete(o.metadata.namespace, o.metadata.name!);
        } catch (e) {
          if (!isNotFound(e)) throw e;
        }
      }
      // Objects with finalizers of their own stay until those are removed.
      if ((await rc.list(undefined, { limit: 1 })).items.length > 0) return { requeueAfter: CLEANUP_POLL_MS };
    }
    const fresh = await this.client.resource(CRDS).get(undefined, crd.metadata.name!);
    if (!fresh) return;
    fresh.metadata.finalizers = (fresh.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    await this.client.resource(CRDS).update(undefined, fresh);
  }

  /** The objects of a CRD's kind, through its first served version (all versions share them). */
  private objects(crd: KObject, names: CrdNames): ResourceClient | undefined {
    const spec = crdSpec(crd);
    const version = spec.versions.find((v) => v.served)?.name;
    if (!version) return undefined;
    try {
      return this.client.resource({ group: spec.group, version, resource: names.plural });
    } catch {
      return undefined; // not served (yet): nothing can have been stored through it
    }
  }

  private async setTerminating(crd: KObject, reason: string, message: string): Promise<void> {
    const conds = crdConditions(crd);
    const cur = conds.find((c) => c.type === 'Terminating');
    if (cur?.reason === reason) return;
    const conditions = [...conds.filter((c) => c.type !== 'Terminating'), { type: 'Terminating', status: 'True', reason, message, lastTransitionTime: nowIso() }];
    try {
      await this.client.resource(CRDS).updateStatus(undefined, { ...crd, status: { ...(crd.status as object), conditions } });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

export interface CrdController {
  controller: Controller;
  /** Resolves once every stored CRD is served (before the server reports ready). */
  synced: Promise<void>;
  done: Promise<void>;
}

export function startCrdController(client: Client, server: ServedDefinitions, signal: AbortSignal, opts: { log?: Logger } = {}): CrdController {
  const informers = new SharedInformers(client, { log: opts.log });
  const crds = informers.informerFor(CRDS);
  const r = new CrdReconciler(client, crds, server, opts);
  const controller = controllerFor(client, { name: 'customresourcedefinitions', informers, log: opts.log }).for(CRDS).complete(r);
  const done = controller.start(signal).then(() => informers.stopped());
  const synced = crds.waitForSync(signal).then(() => {
    for (const crd of crds.list()) r.serve(crd);
  });
  return { controller, synced, done };
}
