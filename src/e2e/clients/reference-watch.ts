// The yardstick a client's watch is measured against: a raw watch on the same
// collection, started from a list the harness makes itself before the
// scenario writes anything. Every change the server makes to the scenario's
// objects (the client's writes and the control plane's) shows up here, with
// the resourceVersion each write returned, so a client's events must equal
// this record exactly.

import { KubeHttp, sleep } from '../support/kube-http.js';
import { openWatch, type WatchConnection, type WatchTarget } from '../support/watch-stream.js';
import { pathOf, recordEvent, type KindRef, type WatchEvent } from './driver.js';

export class ReferenceWatch {
  private constructor(
    readonly startRv: string,
    private readonly conn: WatchConnection,
    readonly events: WatchEvent[],
    readonly errors: string[],
  ) {}

  static async start(target: WatchTarget, kind: KindRef, ns: string | undefined): Promise<ReferenceWatch> {
    const http = new KubeHttp({ ...target, keepAlive: false });
    const list = await http.ok('GET', pathOf(kind, ns));
    http.close();
    const rv = list.metadata.resourceVersion as string;
    const events: WatchEvent[] = [];
    const errors: string[] = [];
    const conn = openWatch(target, pathOf(kind, ns), { resourceVersion: rv }, (ev) => {
      if (ev.type === 'ERROR') errors.push(JSON.stringify(ev.object));
      else recordEvent(events, ev.type, ev.object);
    });
    return new ReferenceWatch(rv, conn, events, errors);
  }

  of(name: string): WatchEvent[] {
    return this.events.filter((e) => e.name === name);
  }

  /** Waits until an event of `type` for `name` arrived. */
  async sees(name: string, type: string, timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.events.some((e) => e.name === name && e.type === type)) {
      if (Date.now() > deadline) throw new Error(`the reference watch never saw ${type} ${name} (saw ${JSON.stringify(this.of(name).map((e) => [e.type, e.resourceVersion]))}; errors: ${this.errors.join(' | ')})`);
      await sleep(20);
    }
  }

  close(): void {
    this.conn.close();
  }
}
