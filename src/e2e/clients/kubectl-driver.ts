// The client-conformance driver for the real kubectl: each call is the
// command a user types (`create -f -`, `patch --type`, `replace -f -`,
// `get -w -o json --output-watch-events`), with `-o json` so answers can be
// compared. What kubectl has no command for (one page of a list, a list or
// watch from a given resourceVersion) goes through `kubectl get --raw`,
// still kubectl's own transport, TLS and credentials.

import { spawn, type ChildProcess } from 'node:child_process';
import { KUBECTL, type Kubectl, type ServerProcess } from '../../testing/server-process.js';
import { sleep } from '../support/kube-http.js';
import { ClientApiError, pathOf, recordEvent, type ClientDriver, type ClientWatch, type DeleteAnswer, type KindRef, type ListOptions, type ListResult, type Obj, type PatchType, type WatchEvent } from './driver.js';
import { JsonStream } from './json-stream.js';

/** kubectl prints the reason, not the code: `Error from server (Conflict): ...`. */
const CODES: Record<string, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  UnsupportedMediaType: 415,
  Invalid: 422,
};

function apiError(args: string[], stderr: string): Error {
  const m = /Error from server \((\w+)\): (.*)/.exec(stderr);
  if (m) return new ClientApiError('kubectl', CODES[m[1]] ?? 0, m[1], m[2]);
  // `kubectl patch` rewords a 415: `error: application/strategic-merge-patch+json is not supported by ...`.
  const unsupported = /error: (\S+ is not supported by .*)/.exec(stderr);
  if (unsupported) return new ClientApiError('kubectl', 415, 'UnsupportedMediaType', unsupported[1]);
  // `kubectl get --raw` prints the bare Status body.
  const raw = /Error from server \((\w+)\)|"reason":"(\w+)"/.exec(stderr);
  const reason = raw?.[1] ?? raw?.[2];
  if (reason) return new ClientApiError('kubectl', CODES[reason] ?? 0, reason, stderr.trim());
  return new Error(`kubectl ${args.join(' ')} failed:\n${stderr}`);
}

const resourceArg = (k: KindRef) => (k.group ? `${k.plural}.${k.group}` : k.plural);
const nsArgs = (k: KindRef, ns: string | undefined) => (k.namespaced && ns ? ['-n', ns] : []);

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  return q.toString();
}

class KubectlWatch implements ClientWatch {
  readonly events: WatchEvent[] = [];
  error?: string;
  ended = false;
  stderr = '';
  private stopping = false;
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    const stream = new JsonStream((v) => {
      const ev = v as { type?: string; object?: Obj };
      if (ev.type === 'ERROR') this.error = JSON.stringify(ev.object);
      else if (ev.type) recordEvent(this.events, ev.type, ev.object);
    });
    child.stdout!.setEncoding('utf8').on('data', (s: string) => stream.push(s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.ended = true;
        // kubectl catches SIGTERM and exits 1: only an exit nobody asked for is a failure.
        if (code !== 0 && signal === null && !this.stopping) this.error ??= `kubectl exited with ${code}: ${this.stderr}`;
        resolve();
      }),
    );
  }

  /** kubectl -v=6 logs each request once its response headers arrive: the watch request is then open. */
  async established(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (!/GET \S+watch=true\S* 200 OK/.test(this.stderr)) {
      if (this.ended) throw new Error(`kubectl watch ended before it was established: ${this.error ?? this.stderr}`);
      if (Date.now() > deadline) throw new Error(`kubectl watch not established:\n${this.stderr}`);
      await sleep(20);
    }
  }

  async disconnect(): Promise<void> {
    this.stopping = true;
    if (!this.ended) this.child.kill('SIGTERM');
    await this.exited;
  }
}

export class KubectlDriver implements ClientDriver {
  readonly name = 'kubectl';
  private readonly watches = new Set<KubectlWatch>();

  constructor(
    private readonly server: ServerProcess,
    private readonly k: Kubectl,
  ) {}

  private async run(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
    const r = await this.k.run(args, input);
    if (r.code !== 0) throw apiError(args, r.stderr);
    return r;
  }

  private async json(args: string[], input?: string): Promise<Obj> {
    return JSON.parse((await this.run(args, input)).stdout) as Obj;
  }

  async list(kind: KindRef, ns: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    if (opts.limit !== undefined || opts.resourceVersion !== undefined || opts.continue !== undefined) {
      const q = query({ limit: opts.limit, continue: opts.continue, resourceVersion: opts.resourceVersion, labelSelector: opts.labelSelector });
      const l = await this.json(['get', '--raw', `${pathOf(kind, ns)}?${q}`]);
      return { items: l.items, resourceVersion: l.metadata.resourceVersion, continue: l.metadata.continue };
    }
    const l = await this.json(['get', resourceArg(kind), ...nsArgs(kind, ns), '-o', 'json', ...(opts.labelSelector ? ['-l', opts.labelSelector] : [])]);
    return { items: l.items };
  }

  async listInChunks(kind: KindRef, ns: string | undefined, limit: number): Promise<ListResult> {
    const r = await this.run(['get', resourceArg(kind), ...nsArgs(kind, ns), '-o', 'json', `--chunk-size=${limit}`, '-v=6']);
    const requests = r.stderr.split('\n').filter((l) => l.includes(`GET ${this.server.url}${pathOf(kind, ns)}?`) && l.includes(`limit=${limit}`)).length;
    return { items: (JSON.parse(r.stdout) as Obj).items, requests };
  }

  create(kind: KindRef, ns: string | undefined, body: Obj): Promise<Obj> {
    return this.json(['create', '-f', '-', ...nsArgs(kind, ns), '-o', 'json'], JSON.stringify(body));
  }

  get(kind: KindRef, ns: string | undefined, name: string): Promise<Obj> {
    return this.json(['get', resourceArg(kind), name, ...nsArgs(kind, ns), '-o', 'json']);
  }

  patch(kind: KindRef, ns: string | undefined, name: string, type: PatchType, body: unknown): Promise<Obj> {
    return this.json(['patch', resourceArg(kind), name, ...nsArgs(kind, ns), '--type', type, '-p', JSON.stringify(body), '-o', 'json']);
  }

  replace(kind: KindRef, ns: string | undefined, name: string, body: Obj): Promise<Obj> {
    return this.json(['replace', '-f', '-', ...nsArgs(kind, ns), '-o', 'json'], JSON.stringify({ ...body, metadata: { ...body.metadata, name } }));
  }

  /**
   * kubectl prints no body for a delete, but reads it: the uid in a Status's
   * details or in the object is what it then waits on until the object is gone.
   */
  async delete(kind: KindRef, ns: string | undefined, name: string): Promise<DeleteAnswer> {
    const out = (await this.run(['delete', resourceArg(kind), name, ...nsArgs(kind, ns)])).stdout;
    if (!out.includes(`"${name}" deleted`)) throw new Error(`kubectl delete printed: ${out}`);
    return {};
  }

  private async startWatch(args: string[]): Promise<ClientWatch> {
    const child = spawn(KUBECTL, ['--kubeconfig', this.server.kubeconfig, ...args, '-v=6'], {
      env: { ...process.env, HOME: this.k.home, KUBECONFIG: this.server.kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const w = new KubectlWatch(child);
    this.watches.add(w);
    await w.established();
    return w;
  }

  watchFromList(kind: KindRef, ns: string | undefined): Promise<ClientWatch> {
    return this.startWatch(['get', resourceArg(kind), ...nsArgs(kind, ns), '--watch', '-o', 'json', '--output-watch-events']);
  }

  watchFrom(kind: KindRef, ns: string | undefined, resourceVersion: string): Promise<ClientWatch> {
    return this.startWatch(['get', '--raw', `${pathOf(kind, ns)}?${query({ watch: 'true', resourceVersion, allowWatchBookmarks: 'true' })}`]);
  }

  async close(): Promise<void> {
    for (const w of this.watches) await w.disconnect();
    this.k.cleanup();
  }
}
