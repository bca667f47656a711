// Keeps the published DP server address as the control plane published it.
// Every proxy finds the DP server through this ConfigMap, so an edit to it by
// anyone else is undone at once (proxies verify the server against the
// cluster CA anyway; this keeps them from being pointed at nothing). Runs on
// the leader only, which publishes its own DP server. Level-based: every
// change of the ConfigMap compares it with what should be there.

import type { KObject } from '../../api/object.js';
import { Informer } from '../../client/informer.js';
import type { Logger } from '../../client/logger.js';
import type { Client } from '../../client/types.js';
import { ADDRESS_KEY, CA_KEY, DP_SERVER_CONFIGMAP, publishDpServerAddress, type PublishedDpServer } from './published-address.js';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

export interface PublishedAddressKeeperOptions {
  namespace: string;
  /** What should be published: this control plane's DP server, once it listens. */
  published: () => PublishedDpServer | undefined;
  log: Logger;
  /** Pause before retrying a failed restore (default 1 s). */
  retryMs?: number;
}

export class PublishedAddressKeeper {
  private readonly informer: Informer;
  private running = false;
  private again = false;
  private signal?: AbortSignal;

  constructor(
    private readonly client: Client,
    private readonly o: PublishedAddressKeeperOptions,
  ) {
    this.informer = new Informer(client.resource(CONFIGMAPS), { namespace: o.namespace, fieldSelector: `metadata.name=${DP_SERVER_CONFIGMAP}`, log: o.log });
    const check = () => this.check();
    this.informer.addHandler({ onAdd: check, onUpdate: check, onDelete: check });
  }

  /** Runs until `signal` aborts. */
  run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    return this.informer.start(signal);
  }

  /** Compares again (e.g. once the DP server listens). */
  check(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.reconcile().finally(() => {
      this.running = false;
      if (this.again) {
        this.again = false;
        this.check();
      }
    });
  }

  private async reconcile(): Promise<void> {
    const want = this.o.published();
    if (!want || this.signal?.aborted) return;
    const cm = this.informer.get(this.o.namespace, DP_SERVER_CONFIGMAP);
    if (matches(cm, want)) return;
    this.o.log.warn({ configMap: `${this.o.namespace}/${DP_SERVER_CONFIGMAP}`, found: (cm?.data as Record<string, unknown> | undefined)?.[ADDRESS_KEY] }, 'the published DP server address was changed or removed; restoring it');
    try {
      await publishDpServerAddress(this.client, want.address, want.caPem, this.o.namespace);
    } catch (err) {
      this.o.log.warn({ err }, 'could not restore the published DP server address; retrying');
      setTimeout(() => this.check(), this.o.retryMs ?? 1000).unref();
    }
  }
}

function matches(cm: KObject | undefined, want: PublishedDpServer): boolean {
  const data = (cm?.data ?? {}) as Record<string, unknown>;
  return !cm?.metadata.deletionTimestamp && data[ADDRESS_KEY] === want.address && data[CA_KEY] === want.caPem && Object.keys(data).length === 2 && !cm?.binaryData;
}
