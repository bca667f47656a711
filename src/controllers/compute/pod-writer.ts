// Creates and deletes a Workload's pods, recording each as an Event on the
// Workload. Creates go in doubling batches (1, 2, 4, ...) and stop at the
// first refusal, so a quota that allows none costs one request rather than
// `replicas`. With a Network, each pod gets an address before it is created
// (annotations, the durable record) and in status.podIP right after.

import { ApiError, isAlreadyExists, isConflict, isNotFound } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Client, ResourceClient } from '../../client/types.js';
import type { Logger } from '../../client/logger.js';
import type { Expectations } from './expectations.js';
import type { IpAllocator } from './ip-allocator.js';
import { podFromTemplate, type PodAddress } from './pod-template.js';
import { PODS } from './resources.js';
import { randomSuffix } from './template-hash.js';

export interface NetworkTarget {
  name: string;
  cidr: string;
}

export interface CreateResult {
  created: number;
  /** The first refusal, verbatim from the API (e.g. the quota message). */
  failure?: string;
}

const DELETE_CONCURRENCY = 32;

export class PodWriter {
  private readonly pods: ResourceClient;

  constructor(
    client: Client,
    private readonly allocator: IpAllocator,
    private readonly expectations: Expectations,
    private readonly recorder: EventRecorder,
    private readonly log: Logger,
  ) {
    this.pods = client.resource(PODS);
  }

  async create(key: string, w: KObject, hash: string, count: number, network?: NetworkTarget): Promise<CreateResult> {
    let created = 0;
    let batch = 1;
    while (created < count) {
      const size = Math.min(batch, count - created);
      const results = await Promise.all(Array.from({ length: size }, () => this.createOne(key, w, hash, network)));
      const failure = results.find((r) => r !== undefined);
      created += results.filter((r) => r === undefined).length;
      if (failure !== undefined) return { created, failure };
      batch *= 2;
    }
    return { created };
  }

  /** Undefined on success, else the refusal. */
  private async createOne(key: string, w: KObject, hash: string, network?: NetworkTarget): Promise<string | undefined> {
    const ns = w.metadata.namespace!;
    for (let attempt = 0; ; attempt++) {
      const name = `${w.metadata.name}-${randomSuffix()}`;
      let address: PodAddress | undefined;
      if (network) {
        const ip = this.allocator.allocate(ns, network.name, network.cidr, name);
        if (!ip) return this.failed(w, `no free address left in network "${network.name}" (${network.cidr})`);
        address = { network: network.name, ip };
      }
      try {
        const pod = await this.pods.create(ns, podFromTemplate(w, hash, name, address));
        this.expectations.created(key, pod);
        this.recorder.event(w, 'Normal', 'SuccessfulCreate', `Created pod: ${name}`);
        if (address) await this.setPodIP(pod, address.ip);
        return undefined;
      } catch (e) {
        this.allocator.release(ns, name);
        if (isAlreadyExists(e) && attempt < 3) continue;
        return this.failed(w, e instanceof Error ? e.message : String(e));
      }
    }
  }

  private failed(w: KObject, message: string): string {
    this.recorder.event(w, 'Warning', 'FailedCreate', `Error creating: ${message}`);
    return message;
  }

  // The node agent keeps an address already in status, so writing it once suffices.
  private async setPodIP(pod: KObject, ip: string): Promise<void> {
    try {
      await this.pods.patch(pod.metadata.namespace, pod.metadata.name!, 'merge', { status: { podIP: ip, podIPs: [{ ip }] } }, { subresource: 'status' });
    } catch (e) {
      if (!isNotFound(e)) this.log.warn({ pod: pod.metadata.name, err: e }, 'could not record pod IP in status');
    }
  }

  /** Deletes the pods; throws after trying them all if any delete failed for a reason other than "already gone". */
  async delete(key: string, w: KObject, victims: readonly KObject[]): Promise<void> {
    let firstError: unknown;
    for (let i = 0; i < victims.length; i += DELETE_CONCURRENCY) {
      await Promise.all(
        victims.slice(i, i + DELETE_CONCURRENCY).map(async (pod) => {
          const name = pod.metadata.name!;
          try {
            await this.pods.delete(pod.metadata.namespace, name, { preconditions: { uid: pod.metadata.uid } });
            this.expectations.deleted(key, name);
            this.recorder.event(w, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
          } catch (e) {
            if (isNotFound(e) || isConflict(e)) {
              this.expectations.deleted(key, name);
              return;
            }
            this.recorder.event(w, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
            firstError ??= e;
          }
        }),
      );
    }
    if (firstError) throw firstError instanceof ApiError ? firstError : new Error(String(firstError));
  }
}
