// Pods stuck in CreateContainerConfigError wait for a Secret or ConfigMap to
// appear. The agent watches exactly the objects a waiting pod names, one watch
// per object (a field selector on its name), from the moment the first pod
// waits on it until the last one stops: that is all a node may read (the Node
// authorizer allows a node only the objects its pods name), and any change
// re-checks the pods waiting on that object. (The agent also re-checks with
// back-off, which covers a watch that failed.)

import type { KObject } from '../api/object.js';
import { podReferences } from '../api/core/pod-references.js';
import type { Logger } from '../client/logger.js';
import type { Client, Watch } from '../client/types.js';

const SECRETS = { group: '', version: 'v1', resource: 'secrets' };
const CONFIG_MAPS = { group: '', version: 'v1', resource: 'configmaps' };
type Gvr = typeof SECRETS;

interface ObjectWatch {
  gvr: Gvr;
  namespace: string;
  name: string;
  keys: Set<string>;
  watch?: Watch;
  closed: boolean;
}

export class ConfigWaits {
  private readonly objects = new Map<string, ObjectWatch>();
  private readonly byKey = new Map<string, string[]>();

  constructor(
    private readonly client: Client,
    private readonly recheck: (key: string) => void,
    private readonly log: Logger,
  ) {}

  /** `key` (a pod) waits for the Secrets and ConfigMaps `pod` names in `namespace`. */
  wait(namespace: string, key: string, pod: KObject): void {
    if (this.byKey.has(key)) return;
    const refs = podReferences(pod);
    const ids: string[] = [];
    const add = (gvr: Gvr, name: string) => {
      const id = `${gvr.resource}/${namespace}/${name}`;
      let o = this.objects.get(id);
      if (!o) {
        o = { gvr, namespace, name, keys: new Set(), closed: false };
        this.objects.set(id, o);
        void this.open(o);
      }
      o.keys.add(key);
      ids.push(id);
    };
    for (const s of refs.secrets) add(SECRETS, s);
    for (const c of refs.configMaps) add(CONFIG_MAPS, c);
    this.byKey.set(key, ids);
  }

  done(_namespace: string, key: string): void {
    for (const id of this.byKey.get(key) ?? []) {
      const o = this.objects.get(id);
      if (!o || !o.keys.delete(key) || o.keys.size) continue;
      this.close(id, o);
    }
    this.byKey.delete(key);
  }

  stop(): void {
    for (const [id, o] of this.objects) this.close(id, o);
    this.byKey.clear();
  }

  private close(id: string, o: ObjectWatch): void {
    o.closed = true;
    o.watch?.stop();
    this.objects.delete(id);
  }

  private fire(o: ObjectWatch): void {
    for (const k of o.keys) this.recheck(k);
  }

  /** Watches from now on; a failed watch reopens after a pause while pods still wait. */
  private async open(o: ObjectWatch): Promise<void> {
    const fieldSelector = `metadata.name=${o.name}`;
    try {
      const rc = this.client.resource(o.gvr);
      const { resourceVersion } = await rc.list(o.namespace, { fieldSelector, limit: 1 });
      if (o.closed) return;
      o.watch = rc.watch(o.namespace, { resourceVersion, fieldSelector }, {
        onEvent: (type) => {
          if (type !== 'BOOKMARK') this.fire(o);
        },
        onClose: () => {
          o.watch = undefined;
          if (!o.closed) setTimeout(() => !o.closed && void this.open(o), 1000).unref();
        },
      });
      // Anything created between the failed read and this watch is seen by one more check.
      this.fire(o);
    } catch (err) {
      this.log.warn({ namespace: o.namespace, resource: o.gvr.resource, name: o.name, err }, 'agent: cannot watch a pod config source');
      if (!o.closed) setTimeout(() => !o.closed && void this.open(o), 5000).unref();
    }
  }
}
