// Deletes bootstrap-token Secrets once they expire, as kube's tokencleaner
// does. An expired token already proves nothing (the authenticator checks the
// time on every request); this removes the Secret so expired credentials do
// not pile up in kube-system. It watches only kube-system's bootstrap-token
// Secrets (a field selector on their type), sweeps them when one appears or
// changes and again at the next expiry it knows of, and at least once a minute.

import { isConflict, isNotFound } from '../../api/errors.js';
import type { KObject } from '../../api/object.js';
import { Informer, sleep } from '../../client/informer.js';
import type { Logger } from '../../client/logger.js';
import type { Client } from '../../client/types.js';
import { BOOTSTRAP_TOKEN_NAMESPACE, BOOTSTRAP_TOKEN_TYPE, bootstrapTokenExpired, bootstrapTokenExpiry } from '../../security/bootstrap-token.js';

const SECRETS = { group: '', version: 'v1', resource: 'secrets' };

export interface TokenCleanerOptions {
  log?: Logger;
  clock?: () => number;
  /** Longest wait between sweeps (new tokens are found by the next one). Default 60 s. */
  intervalMs?: number;
}

export interface SweepResult {
  deleted: string[];
  /** The earliest expiry still ahead, in ms since the epoch. */
  next?: number;
}

export class TokenCleaner {
  private readonly clock: () => number;

  constructor(
    private readonly client: Client,
    private readonly opts: TokenCleanerOptions = {},
  ) {
    this.clock = opts.clock ?? Date.now;
  }

  /** Deletes every expired bootstrap-token Secret; each delete is conditional on the Secret read, so a token renewed meanwhile stays. */
  async sweep(): Promise<SweepResult> {
    const secrets = this.client.resource(SECRETS);
    const { items } = await secrets.list(BOOTSTRAP_TOKEN_NAMESPACE);
    const now = this.clock();
    const deleted: string[] = [];
    let next: number | undefined;
    for (const s of items as KObject[]) {
      if (s.type !== BOOTSTRAP_TOKEN_TYPE || s.metadata.deletionTimestamp) continue;
      if (!bootstrapTokenExpired(s, now)) {
        const at = bootstrapTokenExpiry(s);
        if (at !== undefined && (next === undefined || at < next)) next = at;
        continue;
      }
      const name = s.metadata.name!;
      try {
        await secrets.delete(BOOTSTRAP_TOKEN_NAMESPACE, name, { preconditions: { uid: s.metadata.uid, resourceVersion: s.metadata.resourceVersion } });
        deleted.push(name);
        this.opts.log?.info({ secret: `${BOOTSTRAP_TOKEN_NAMESPACE}/${name}` }, 'deleted expired bootstrap token');
      } catch (e) {
        // Gone already, or changed since it was read (the next sweep looks again).
        if (!isNotFound(e) && !isConflict(e)) throw e;
      }
    }
    return { deleted, next };
  }

  /** Sweeps until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const interval = this.opts.intervalMs ?? 60_000;
    const tokens = new Informer(this.client.resource(SECRETS), { namespace: BOOTSTRAP_TOKEN_NAMESPACE, fieldSelector: `type=${BOOTSTRAP_TOKEN_TYPE}`, log: this.opts.log });
    let changed = false;
    let wake: (() => void) | undefined;
    const poke = () => {
      changed = true;
      wake?.();
    };
    tokens.addHandler({ onAdd: poke, onUpdate: poke });
    const watching = tokens.start(signal);
    while (!signal.aborted) {
      changed = false;
      let wait = interval;
      try {
        const { next } = await this.sweep();
        if (next !== undefined) wait = Math.max(0, Math.min(interval, next - this.clock() + 1));
      } catch (e) {
        if (!signal.aborted) this.opts.log?.warn({ err: e }, 'bootstrap token sweep failed; retrying');
      }
      if (changed) continue;
      const napping = new AbortController();
      wake = () => napping.abort();
      await sleep(wait, AbortSignal.any([signal, napping.signal]));
      wake = undefined;
    }
    await watching;
  }
}

