// Pods stuck in CreateContainerConfigError wait for a Secret or ConfigMap to
// appear. Rather than watch every Secret in the cluster, the agent watches
// Secrets and ConfigMaps only in namespaces that have a waiting pod, from the
// moment the first pod there starts waiting until the last one stops; any
// change there re-checks that namespace's waiting pods. (The agent also
// re-checks with back-off, which covers a watch that failed.)

import type { Logger } from '../client/logger.js';
import type { Client, Watch } from '../client/types.js';

const RESOURCES = [
  { group: '', version: 'v1', resource: 'secrets' },
  { group: '', version: 'v1', resource: 'configmaps' },
];

interface NamespaceWatch {
  keys: Set<string>;
  watches: Watch[];
  closed: boolean;
}

export class ConfigWaits {
  private readonly namespaces = new Map<string, NamespaceWatch>();

  constructor(
    private readonly client: Client,
    private readonly recheck: (key: string) => void,
    private readonly log: Logger,
  ) {}

  /** `key` (a pod) waits for a source in `namespace`. */
  wait(namespace: string, key: string): void {
    let ns = this.namespaces.get(namespace);
    if (!ns) {
      ns = { keys: new Set(), watches: [], closed: false };
      this.namespaces.set(namespace, ns);
      for (const gvr of RESOURCES) void this.open(namespace, ns, gvr);
    }
    ns.keys.add(key);
  }

  done(namespace: string, key: string): void {
    const ns = this.namespaces.get(namespace);
    if (!ns || !ns.keys.delete(key) || ns.keys.size) return;
    this.close(namespace, ns);
  }

  stop(): void {
    for (const [name, ns] of this.namespaces) this.close(name, ns);
  }

  private close(namespace: string, ns: NamespaceWatch): void {
    ns.closed = true;
    for (const w of ns.watches) w.stop();
    this.namespaces.delete(namespace);
  }

  private fire(ns: NamespaceWatch): void {
    for (const k of ns.keys) this.recheck(k);
  }

  /** Watches from now on; a failed watch reopens after a pause while pods still wait. */
  private async open(namespace: string, ns: NamespaceWatch, gvr: (typeof RESOURCES)[number]): Promise<void> {
    try {
      const rc = this.client.resource(gvr);
      const { resourceVersion } = await rc.list(namespace, { limit: 1 });
      if (ns.closed) return;
      let w: Watch | undefined;
      w = rc.watch(namespace, { resourceVersion }, {
        onEvent: (type) => {
          if (type !== 'BOOKMARK') this.fire(ns);
        },
        onClose: () => {
          ns.watches = ns.watches.filter((x) => x !== w);
          if (!ns.closed) setTimeout(() => !ns.closed && void this.open(namespace, ns, gvr), 1000).unref();
        },
      });
      ns.watches.push(w);
      // Anything created between the failed read and this watch is seen by one more check.
      this.fire(ns);
    } catch (err) {
      this.log.warn({ namespace, resource: gvr.resource, err }, 'agent: cannot watch pod config sources');
      if (!ns.closed) setTimeout(() => !ns.closed && void this.open(namespace, ns, gvr), 5000).unref();
    }
  }
}
