// Writes a Workload's status only when it changed. The informer copy a pass
// starts from can predate this controller's own last write; comparing with
// that write (while the informer still shows the version it was based on)
// avoids rewriting the same status and losing the race to ourselves.

import { deepEqual, type KObject } from '../../api/object.js';
import type { Client } from '../../client/types.js';
import { WORKLOADS } from './resources.js';

interface Written {
  /** resourceVersion the write was based on. */
  basedOn: string;
  status: Record<string, unknown>;
}

export class WorkloadStatusWriter {
  private readonly written = new Map<string, Written>();

  constructor(private readonly client: Client) {}

  /** Returns true when it wrote. */
  async write(key: string, w: KObject, status: Record<string, unknown>): Promise<boolean> {
    const last = this.written.get(key);
    const rv = w.metadata.resourceVersion ?? '';
    const shown = last && last.basedOn === rv ? last.status : (w.status ?? {});
    if (deepEqual(shown, status)) return false;
    await this.client.resource(WORKLOADS).updateStatus(w.metadata.namespace, { ...w, status });
    this.written.set(key, { basedOn: rv, status });
    return true;
  }

  forget(key: string): void {
    this.written.delete(key);
  }
}
