// What the agent remembers about one pod it runs: its identity, its address,
// whether the runtime has it, why it cannot start yet, and the object its last
// status write returned. The informer may lag behind that write; reconciling
// from the written object instead avoids computing from a stale status and
// losing the next write to a conflict.

import type { KObject } from '../api/object.js';
import type { AgentNode } from './agent-node.js';

export class PodState {
  readonly uid: string;
  readonly podIP: string;
  launched = false;
  deleting = false;
  /** Container name → CreateContainerConfigError message, while a Secret/ConfigMap is missing. */
  configErrors?: Map<string, string>;
  private configRetries = 0;
  private written?: KObject;
  /** resourceVersions older than `written`. */
  private readonly stale = new Set<string>();

  constructor(
    readonly key: string,
    pod: KObject,
    private readonly node: AgentNode,
  ) {
    this.uid = pod.metadata.uid ?? '';
    const existing = (pod.status as { podIP?: string } | undefined)?.podIP;
    const hostNetwork = (pod.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork === true;
    if (existing) node.ips.claim(existing);
    this.podIP = existing || (hostNetwork ? node.ips.nodeIP : node.ips.allocate());
  }

  /** The newest version of the pod known: the informer's, unless our own write is newer. */
  current(fromInformer: KObject): KObject {
    if (this.written && this.stale.has(fromInformer.metadata.resourceVersion ?? '')) return this.written;
    this.written = undefined;
    this.stale.clear();
    return fromInformer;
  }

  wrote(base: KObject, result: KObject): void {
    this.stale.add(base.metadata.resourceVersion ?? '');
    this.written = result;
  }

  isOwnWrite(pod: KObject): boolean {
    return !!this.written && pod.metadata.resourceVersion === this.written.metadata.resourceVersion;
  }

  /** Back-off for re-checking missing config: base, 2·base, ... up to a minute. */
  nextConfigRetry(baseMs: number): number {
    return Math.min(baseMs * 2 ** this.configRetries++, 60_000);
  }

  /** Config sources are all there now: the next wait starts its back-off afresh. */
  configResolved(): void {
    this.configErrors = undefined;
    this.configRetries = 0;
  }

  releaseIP(): void {
    this.node.ips.release(this.podIP);
  }
}
