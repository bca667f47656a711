// What the agent remembers about one pod it runs: its identity, its address,
// whether the runtime has it and with which container definitions, why it
// cannot start yet, and the object its last status write returned. The
// informer may lag behind that write; reconciling from the written object
// instead avoids computing from a stale status and losing the next write to
// a conflict.

import { createHash } from 'node:crypto';
import type { KObject } from '../api/object.js';
import type { AgentNode } from './agent-node.js';

/**
 * A container's hash, as kubelet keeps one per container to notice a changed
 * definition: over the fields whose change restarts it (name and image; the
 * other container fields of a pod are immutable).
 */
export function containerHash(container: { name?: unknown; image?: unknown }): string {
  return createHash('sha256')
    .update(JSON.stringify([container.name ?? '', container.image ?? '']))
    .digest('hex')
    .slice(0, 16);
}

const containersOf = (pod: KObject) => {
  const list = (pod.spec as { containers?: unknown } | undefined)?.containers;
  return (Array.isArray(list) ? list : []) as { name?: unknown; image?: unknown }[];
};

export class PodState {
  readonly uid: string;
  readonly podIP: string;
  launched = false;
  deleting = false;
  /** Container name → CreateContainerConfigError message, while a Secret/ConfigMap is missing. */
  configErrors?: Map<string, string>;
  /** Container name → hash of the definition the runtime was last given. */
  private hashes = new Map<string, string>();
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

  /** The runtime now runs this version of the pod's containers. */
  launchedAs(pod: KObject): void {
    this.launched = true;
    this.hashes = new Map(containersOf(pod).map((c) => [String(c.name ?? ''), containerHash(c)]));
  }

  /** Containers whose definition differs from the one launched (a new image). */
  changedContainers(pod: KObject): string[] {
    return containersOf(pod)
      .filter((c) => this.hashes.get(String(c.name ?? '')) !== containerHash(c))
      .map((c) => String(c.name ?? ''));
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
