// Creates and deletes the pods of a controller (ReplicaSet, Job) from its pod
// template, recording each as an Event on the owner in kube's words
// (SuccessfulCreate "Created pod: x", FailedCreate "Error creating: ..."). Creates go
// in doubling batches (1, 2, 4, ...) that stop at the first refusal, as
// kube's slowStartBatch, so a quota that allows none costs one request.
// Every write is recorded in Expectations before the informer shows it.

import { isConflict, isNotFound } from '../../api/errors.js';
import { clone, isPlainObject, type KObject, type OwnerReference } from '../../api/object.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Client, ResourceClient } from '../../client/types.js';
import type { Expectations } from '../compute/expectations.js';
import { PODS } from './resources.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isPlainObject(v) ? v : {});

export function controllerRef(owner: KObject): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true };
}

export interface PodShape {
  /** metadata.generateName (kube: `<owner>-`), or a full name. */
  generateName?: string;
  name?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  /** Applied to the cloned spec (hostname, env...). */
  spec?: (spec: Obj) => void;
}

/** A pod from `template` ({metadata, spec}), controlled by `owner`. */
export function podFromTemplate(owner: KObject, template: unknown, shape: PodShape): KObject {
  const t = obj(template);
  const meta = obj(t.metadata);
  const labels = { ...(obj(meta.labels) as Record<string, string>), ...shape.labels };
  const annotations = { ...(obj(meta.annotations) as Record<string, string>), ...shape.annotations };
  const spec = clone(obj(t.spec));
  shape.spec?.(spec);
  const metadata: KObject['metadata'] = { namespace: owner.metadata.namespace, labels, ownerReferences: [controllerRef(owner)] };
  if (shape.name) metadata.name = shape.name;
  else metadata.generateName = shape.generateName ?? `${owner.metadata.name}-`;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  if (shape.finalizers?.length) metadata.finalizers = [...shape.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

export interface CreateOutcome {
  created: KObject[];
  /** The first refusal, verbatim (quota, namespace terminating...). */
  failure?: string;
}

export class PodControl {
  private readonly pods: ResourceClient;

  constructor(
    client: Client,
    private readonly expectations: Expectations,
    private readonly recorder: EventRecorder,
  ) {
    this.pods = client.resource(PODS);
  }

  /** Creates `pods` in slow-start batches under `key`'s expectations. */
  async create(key: string, owner: KObject, pods: readonly KObject[]): Promise<CreateOutcome> {
    const created: KObject[] = [];
    let batch = 1;
    for (let i = 0; i < pods.length; ) {
      const slice = pods.slice(i, i + batch);
      i += slice.length;
      const results = await Promise.all(slice.map((p) => this.createOne(key, owner, p)));
      let failure: string | undefined;
      for (const r of results) {
        if (typeof r === 'string') failure ??= r;
        else created.push(r);
      }
      if (failure !== undefined) return { created, failure };
      batch *= 2;
    }
    return { created };
  }

  private async createOne(key: string, owner: KObject, pod: KObject): Promise<KObject | string> {
    try {
      const made = await this.pods.create(owner.metadata.namespace, pod);
      this.expectations.created(key, made);
      this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${made.metadata.name}`);
      return made;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${message}`);
      return message;
    }
  }

  /** Deletes the pods (guarded by uid); a pod already gone counts as deleted. Throws the first other failure after trying all. */
  async delete(key: string, owner: KObject, victims: readonly KObject[]): Promise<void> {
    let first: unknown;
    await Promise.all(
      victims.map(async (pod) => {
        const name = pod.metadata.name!;
        try {
          await this.pods.delete(pod.metadata.namespace, name, { preconditions: { uid: pod.metadata.uid } });
          this.expectations.deleted(key, name);
          this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
        } catch (e) {
          if (isNotFound(e) || isConflict(e)) {
            this.expectations.deleted(key, name);
            return;
          }
          this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
          first ??= e;
        }
      }),
    );
    if (first) throw first;
  }
}
