// One live list, as a Kubernetes informer keeps it: LIST, then WATCH from the
// list's resourceVersion; when the server ends the stream (its timeout), watch
// again from the last resourceVersion seen; on 410 list again. Nothing polls:
// the page changes only when the watch says something changed. Authorization
// failures stop the loop and are reported as such (a "not permitted" panel);
// other failures are retried with backoff.

import type { KObject } from '../../api/object.js';
import { ApiRequestError, type ApiClient } from './api-client.js';
import { ListState, type KubeList } from './list-state.js';
import { watchEvents } from './watch-lines.js';

export type WatchPhase = 'loading' | 'live' | 'forbidden' | 'unauthorized' | 'notFound' | 'error';

export interface WatchSnapshot {
  phase: WatchPhase;
  items: readonly KObject[];
  /** The API's message for forbidden / error phases. */
  message?: string;
  /** Changes with every change of phase or items. */
  version: number;
}

export interface ListWatchOptions {
  /** labelSelector, fieldSelector: applied to the list and the watch alike. */
  query?: Record<string, string>;
  /** Server-side watch timeout; the loop re-watches when it ends. */
  timeoutSeconds?: number;
  /** First retry delay after an error; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

const TERMINAL: Record<number, WatchPhase> = { 401: 'unauthorized', 403: 'forbidden', 404: 'notFound' };

export class ListWatch {
  readonly state = new ListState();
  private phase: WatchPhase = 'loading';
  private message: string | undefined;
  private phaseVersion = 0;
  private abort: AbortController | undefined;
  /** LIST requests made so far (the first one, then one per expiry or error). */
  lists = 0;

  constructor(
    private readonly api: ApiClient,
    readonly path: string,
    private readonly onChange: () => void,
    private readonly opts: ListWatchOptions = {},
  ) {}

  snapshot(): WatchSnapshot {
    return { phase: this.phase, items: this.state.items(), message: this.message, version: this.state.version + this.phaseVersion };
  }

  get running(): boolean {
    return this.abort !== undefined;
  }

  /** Starts (or restarts, after a terminal failure) the loop. */
  start(): void {
    if (this.abort) return;
    const abort = (this.abort = new AbortController());
    void this.run(abort.signal).finally(() => {
      if (this.abort === abort) this.abort = undefined;
    });
  }

  stop(): void {
    this.abort?.abort();
    this.abort = undefined;
  }

  private setPhase(phase: WatchPhase, message?: string): void {
    if (phase === this.phase && message === this.message) return;
    this.phase = phase;
    this.message = message;
    this.phaseVersion++;
    this.onChange();
  }

  private url(extra: Record<string, string>): string {
    const q = new URLSearchParams({ ...this.opts.query, ...extra });
    const s = q.toString();
    return s ? `${this.path}?${s}` : this.path;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let needList = true;
    let delay = this.opts.retryMs ?? 1000;
    while (!signal.aborted) {
      try {
        if (needList) {
          this.lists++;
          const list = await this.api.get<KubeList>(this.url({}), signal);
          this.state.replace(list);
          needList = false;
          this.setPhase('live');
          this.onChange();
        }
        const watchQuery: Record<string, string> = { watch: '1', allowWatchBookmarks: 'true', resourceVersion: this.state.resourceVersion };
        if (this.opts.timeoutSeconds) watchQuery.timeoutSeconds = String(this.opts.timeoutSeconds);
        const body = await this.api.watch(this.url(watchQuery), signal);
        this.setPhase('live');
        for await (const ev of watchEvents(body, signal)) {
          const r = this.state.apply(ev);
          if (r.kind === 'changed') this.onChange();
          else if (r.kind === 'relist') {
            needList = true;
            break;
          } else if (r.kind === 'error') throw new ApiRequestError(r.status.code ?? 500, r.status.reason ?? 'Error', r.status.message ?? 'watch failed', r.status);
          delay = this.opts.retryMs ?? 1000;
        }
        // The stream ended (server timeout or relist): go round, watching on from the last resourceVersion.
      } catch (e) {
        if (signal.aborted) return;
        const code = e instanceof ApiRequestError ? e.code : 0;
        const terminal = TERMINAL[code];
        if (terminal) {
          this.setPhase(terminal, (e as Error).message);
          return;
        }
        this.setPhase('error', (e as Error).message ?? String(e));
        // After a failure the watch may have missed events the server no longer keeps: list again.
        needList = true;
        await sleep(delay, signal);
        delay = Math.min(delay * 2, this.opts.maxRetryMs ?? 30_000);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
