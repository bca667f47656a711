// The client-conformance driver for the official Python client (Debian's
// python3-kubernetes for /usr/bin/python3): one long-lived python-driver.py
// process per driver, fed JSON commands on stdin, answering JSON lines. The
// script is read from src/ (tsc does not copy it), which every checkout has.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sleep } from '../support/kube-http.js';
import { ClientApiError, recordEvent, type ClientDriver, type ClientWatch, type DeleteAnswer, type KindRef, type ListOptions, type ListResult, type Obj, type PatchType, type WatchEvent } from './driver.js';

export const PYTHON = '/usr/bin/python3';
export const PYTHON_DRIVER = fileURLToPath(new URL('../../../src/e2e/clients/python-driver.py', import.meta.url));

/** Why the official Python client cannot be driven on this machine, or undefined when it can. */
export function pythonClientProblem(python = PYTHON): string | undefined {
  if (!existsSync(PYTHON_DRIVER)) return `the Python driver script is missing at ${PYTHON_DRIVER}`;
  const r = spawnSync(python, ['-c', 'import kubernetes'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  const why = (r.error?.message ?? r.stderr ?? '').trim().split('\n').at(-1);
  return (
    `the official Python Kubernetes client is not installed: \`${python} -c 'import kubernetes'\` failed (${why}). ` +
    `Install the Debian package python3-kubernetes (apt-get install python3-kubernetes); ` +
    `npm test installs it itself when run as root with apt-get (scripts/prereqs.mjs).`
  );
}

type Answer = { id?: number; result?: unknown; error?: PyError; watch?: string; type?: string; object?: Obj; end?: boolean; ready?: boolean; fatal?: string };
type PyError = { code?: number; reason?: string; message: string; exception?: string; traceback?: string };

function toError(e: PyError): Error {
  if (e.code !== undefined) return new ClientApiError('python', e.code, e.reason ?? '', e.message);
  return new Error(`python: ${e.exception}: ${e.message}\n${e.traceback ?? ''}`);
}

/** One python-driver.py process. */
export class PythonClient {
  stderr = '';
  version = '';
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly watchers = new Map<string, (a: Answer) => void>();
  private exited = false;
  private readonly exit: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (this.stderr += s));
    this.exit = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.exited = true;
        for (const p of this.pending.values()) p.reject(new Error(`the Python driver exited (${code}):\n${this.stderr}`));
        this.pending.clear();
        resolve();
      }),
    );
  }

  static async start(kubeconfig: string): Promise<PythonClient> {
    const problem = pythonClientProblem();
    if (problem) throw new Error(problem);
    const child = spawn(PYTHON, ['-u', PYTHON_DRIVER, '--kubeconfig', kubeconfig], { stdio: ['pipe', 'pipe', 'pipe'] });
    const py = new PythonClient(child);
    const ready = new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        let a: Answer;
        try {
          a = JSON.parse(line) as Answer;
        } catch {
          py.stderr += `unparsable output: ${line}\n`;
          return;
        }
        if (a.ready) {
          py.version = String((a as { client?: string }).client);
          resolve();
        } else if (a.fatal) reject(new Error(`the Python client could not start: ${a.fatal}`));
        else py.dispatch(a);
      });
      void py.exit.then(() => reject(new Error(`the Python driver exited before it was ready:\n${py.stderr}`)));
    });
    await ready;
    return py;
  }

  private dispatch(a: Answer): void {
    if (a.watch !== undefined) {
      this.watchers.get(a.watch)?.(a);
      return;
    }
    const p = this.pending.get(a.id!);
    if (!p) return;
    this.pending.delete(a.id!);
    if (a.error) p.reject(toError(a.error));
    else p.resolve(a.result);
  }

  call<T = Obj>(op: string, fields: Record<string, unknown>): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`the Python driver has exited:\n${this.stderr}`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.stdin!.write(JSON.stringify({ id, op, ...fields }) + '\n');
    });
  }

  onWatch(id: string, handler: (a: Answer) => void): void {
    this.watchers.set(id, handler);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    this.child.stdin!.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exit;
    clearTimeout(t);
  }
}

class PythonWatch implements ClientWatch {
  readonly events: WatchEvent[] = [];
  error?: string;
  ended = false;

  constructor(
    private readonly py: PythonClient,
    private readonly id: string,
    /** Opened with timeoutSeconds: the server ends it, which is the disconnect. */
    private readonly serverEnded: boolean,
  ) {
    py.onWatch(id, (a) => {
      if (this.ended) return;
      if (a.end) {
        this.ended = true;
        if (a.error) this.error = JSON.stringify(a.error);
      } else if (a.type === 'ERROR') this.error = JSON.stringify(a.object);
      else recordEvent(this.events, a.type!, a.object);
    });
  }

  async disconnect(): Promise<void> {
    if (!this.serverEnded) {
      // Watch.stop() takes effect at the stream's next event; from here on nothing is recorded.
      await this.py.call('stop', { watch: this.id });
      this.ended = true;
      return;
    }
    const deadline = Date.now() + 60_000;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('the server did not end the Python watch after its timeoutSeconds');
      await sleep(20);
    }
  }
}

/** How long the first watch runs before the server ends it (the disconnect the scenarios resume from). */
const FIRST_WATCH_SECONDS = 8;

export class PythonDriver implements ClientDriver {
  readonly name = 'python';
  private watches = 0;

  private constructor(readonly py: PythonClient) {}

  static async start(kubeconfig: string): Promise<PythonDriver> {
    return new PythonDriver(await PythonClient.start(kubeconfig));
  }

  async list(kind: KindRef, namespace: string | undefined, options: ListOptions = {}): Promise<ListResult> {
    const l = await this.py.call('list', { kind, namespace, options });
    return { items: l.items, resourceVersion: l.metadata?.resourceVersion, continue: l.metadata?.continue ?? undefined };
  }

  async listInChunks(kind: KindRef, namespace: string | undefined, limit: number): Promise<ListResult> {
    const items: Obj[] = [];
    let cont: string | undefined;
    let requests = 0;
    do {
      const page = await this.list(kind, namespace, { limit, continue: cont });
      requests++;
      items.push(...page.items);
      cont = page.continue;
    } while (cont);
    return { items, requests };
  }

  async create(kind: KindRef, namespace: string | undefined, body: Obj): Promise<Obj> {
    const r = await this.py.call<{ code: number; body: Obj }>('create', { kind, namespace, body });
    if (r.code !== 201) throw new Error(`a create must answer 201, got ${r.code}`);
    return r.body;
  }

  get(kind: KindRef, namespace: string | undefined, name: string): Promise<Obj> {
    return this.py.call('get', { kind, namespace, name });
  }

  patch(kind: KindRef, namespace: string | undefined, name: string, patchType: PatchType, body: unknown): Promise<Obj> {
    return this.py.call('patch', { kind, namespace, name, patchType, body });
  }

  replace(kind: KindRef, namespace: string | undefined, name: string, body: Obj): Promise<Obj> {
    return this.py.call('replace', { kind, namespace, name, body });
  }

  delete(kind: KindRef, namespace: string | undefined, name: string): Promise<DeleteAnswer> {
    return this.py.call<DeleteAnswer>('delete', { kind, namespace, name });
  }

  private async startWatch(kind: KindRef, namespace: string | undefined, resourceVersion: string, timeoutSeconds?: number): Promise<ClientWatch> {
    const id = `w${++this.watches}`;
    const w = new PythonWatch(this.py, id, timeoutSeconds !== undefined);
    await this.py.call('watch', { kind, namespace, watch: id, resourceVersion, timeoutSeconds });
    return w;
  }

  /** As Python users watch without missing anything: list, then Watch().stream from the list's resourceVersion. */
  async watchFromList(kind: KindRef, namespace: string | undefined): Promise<ClientWatch> {
    const l = await this.list(kind, namespace);
    return this.startWatch(kind, namespace, l.resourceVersion!, FIRST_WATCH_SECONDS);
  }

  watchFrom(kind: KindRef, namespace: string | undefined, resourceVersion: string): Promise<ClientWatch> {
    return this.startWatch(kind, namespace, resourceVersion);
  }

  close(): Promise<void> {
    return this.py.close();
  }
}
