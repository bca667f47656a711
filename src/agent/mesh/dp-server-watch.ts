// Follows the ConfigMap in which the control plane publishes its DP server
// (address and CA). Absent means the mesh is switched off, or not started
// yet: the in-process agent starts before the DP server, so the address is
// watched, not read once. Only real changes are passed on. A remote agent
// pins the cluster CA it was given instead of the published one, which anyone
// able to edit the ConfigMap could replace.

import type { KObject } from '../../api/object.js';
import { Informer } from '../../client/informer.js';
import type { Logger } from '../../client/logger.js';
import type { Client } from '../../client/types.js';
import { ADDRESS_KEY, CA_KEY, DP_SERVER_CONFIGMAP } from '../../dp/server/published-address.js';

export interface DpServerTarget {
  address: string;
  caPem: string;
}

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

export function targetOf(cm: KObject | undefined, pinnedCaPem?: string): DpServerTarget | undefined {
  const data = (cm?.data ?? {}) as Record<string, unknown>;
  const address = data[ADDRESS_KEY];
  if (typeof address !== 'string' || !address) return undefined;
  return { address, caPem: pinnedCaPem ?? (typeof data[CA_KEY] === 'string' ? data[CA_KEY] : '') };
}

export class DpServerWatch {
  private readonly informer: Informer;
  private current?: DpServerTarget;

  constructor(
    client: Client,
    private readonly namespace: string,
    log: Logger,
    private readonly onChange: (target: DpServerTarget | undefined) => void,
    private readonly pinnedCaPem?: string,
  ) {
    this.informer = new Informer(client.resource(CONFIGMAPS), { namespace, fieldSelector: `metadata.name=${DP_SERVER_CONFIGMAP}`, log });
    const changed = () => this.changed();
    this.informer.addHandler({ onAdd: changed, onUpdate: changed, onDelete: changed });
  }

  get target(): DpServerTarget | undefined {
    return this.current;
  }

  /** Runs until `signal` aborts. */
  run(signal: AbortSignal): Promise<void> {
    return this.informer.start(signal);
  }

  private changed(): void {
    const next = targetOf(this.informer.get(this.namespace, DP_SERVER_CONFIGMAP), this.pinnedCaPem);
    const cur = this.current;
    if (cur?.address === next?.address && cur?.caPem === next?.caPem) return;
    this.current = next;
    this.onChange(next);
  }
}
