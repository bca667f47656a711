// Shared plumbing for the store conformance suite: a per-test store from the
// backend's factory, and a watch callback recorder that tests can await
// (conditions, never timers, so results do not depend on machine speed).

import type { Store, WatchCallbacks, WatchEvent } from '../types.js';

export type StoreFactory = () => Promise<{ store: Store; cleanup(): Promise<void> }>;

/** Generous per-test limit so a broken backend fails instead of hanging CI. */
export const TEST_TIMEOUT = { timeout: 30_000 };

export async function withStore(factory: StoreFactory, fn: (store: Store) => Promise<void>): Promise<void> {
  const { store, cleanup } = await factory();
  try {
    await fn(store);
  } finally {
    await cleanup();
  }
}

export class Recorder implements WatchCallbacks {
  readonly events: WatchEvent[] = [];
  readonly progress: number[] = [];
  error?: Error;
  private waiters: (() => boolean)[] = [];

  onEvents = (events: WatchEvent[]): void => {
    this.events.push(...events);
    this.wake();
  };

  onError = (err: Error): void => {
    if (this.error) throw new Error('onError called twice');
    this.error = err;
    this.wake();
  };

  onProgress = (revision: number): void => {
    this.progress.push(revision);
    this.wake();
  };

  /** Resolves once `cond` holds; rejects if the watch fails first. */
  until(cond: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        if (cond()) resolve();
        else if (this.error) reject(this.error);
        else return false;
        return true;
      };
      if (!check()) this.waiters.push(check);
    });
  }

  untilEvents(n: number): Promise<void> {
    return this.until(() => this.events.length >= n);
  }

  untilError(): Promise<Error> {
    return new Promise((resolve) => {
      const check = () => (this.error ? (resolve(this.error), true) : false);
      if (!check()) this.waiters.push(check);
    });
  }

  /** Revision and type of each event, for compact assertions. */
  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.kv.key}@${e.kv.modRevision}`);
  }

  private wake(): void {
    const pending = this.waiters;
    this.waiters = [];
    for (const check of pending) if (!check()) this.waiters.push(check);
  }
}
