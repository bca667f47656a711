// The client-conformance driver for @kubernetes/client-node: CoreV1Api's typed
// calls for core kinds (`createNamespacedConfigMap`...), CustomObjectsApi for
// CRDs and Workloads, its Watch class for watches, and (as an Observer) its
// informer, which must end each scenario with the same record and cache as
// the server.

import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Watch,
  makeInformer,
  setHeaderOptions,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { sleep } from '../support/kube-http.js';
import { ClientApiError, PATCH_MEDIA_TYPES, pathOf, recordEvent, type ClientDriver, type ClientWatch, type DeleteAnswer, type KindRef, type ListOptions, type ListResult, type Obj, type PatchType, type WatchEvent } from './driver.js';
import type { Observer } from './conformance.js';

/** The typed model as JSON (dates as strings), for comparisons. */
const plain = (o: unknown): Obj => JSON.parse(JSON.stringify(o)) as Obj;

function reasonOf(body: unknown): { reason: string; message: string } {
  let b = body;
  if (typeof b === 'string') {
    try {
      b = JSON.parse(b);
    } catch {
      return { reason: '', message: b as string };
    }
  }
  const s = (b ?? {}) as { reason?: string; message?: string };
  return { reason: s.reason ?? '', message: s.message ?? JSON.stringify(b) };
}

async function call<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ApiException) {
      const { reason, message } = reasonOf(e.body);
      throw new ClientApiError('client-node', e.code, reason, message);
    }
    throw e;
  }
}

type Api = Record<string, (param: Obj, options?: unknown) => Promise<unknown>>;

class NodeWatch implements ClientWatch {
  readonly events: WatchEvent[] = [];
  error?: string;
  ended = false;
  controller?: AbortController;

  onEvent = (type: string, obj: Obj) => {
    if (this.ended) return;
    if (type === 'ERROR') this.error = JSON.stringify(obj);
    else recordEvent(this.events, type, obj);
  };

  onDone = (err: unknown) => {
    if (err && !this.ended && (err as Error).name !== 'AbortError') this.error = String((err as Error).message ?? err);
    this.ended = true;
  };

  async disconnect(): Promise<void> {
    this.ended = true;
    this.controller?.abort();
  }
}

export class ClientNodeDriver implements ClientDriver {
  readonly name = 'client-node';
  readonly kc = new KubeConfig();
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly watches = new Set<NodeWatch>();

  constructor(kubeconfig: string) {
    this.kc.loadFromFile(kubeconfig);
    this.core = this.kc.makeApiClient(CoreV1Api);
    this.custom = this.kc.makeApiClient(CustomObjectsApi);
  }

  /** `createNamespacedConfigMap`, `readNamespace`... on CoreV1Api. */
  private typed(verb: string, kind: KindRef, suffix = ''): (param: Obj, options?: unknown) => Promise<unknown> {
    const name = `${verb}${kind.namespaced ? 'Namespaced' : ''}${kind.typed!.js}${suffix}`;
    const fn = (this.core as unknown as Api)[name];
    return fn.bind(this.core);
  }

  /** `createNamespacedCustomObject` / `createClusterCustomObject` with the kind's coordinates. */
  private customCall(verb: string, kind: KindRef, ns: string | undefined, param: Obj, options?: unknown, suffix = ''): Promise<unknown> {
    const fn = (this.custom as unknown as Api)[`${verb}${kind.namespaced ? 'Namespaced' : 'Cluster'}CustomObject${suffix}`].bind(this.custom);
    return fn({ group: kind.group, version: kind.version, plural: kind.plural, ...(kind.namespaced ? { namespace: ns } : {}), ...param }, options);
  }

  private scope(kind: KindRef, ns: string | undefined): Obj {
    return kind.namespaced ? { namespace: ns } : {};
  }

  async list(kind: KindRef, ns: string | undefined, opts: ListOptions = {}): Promise<ListResult> {
    const param = { limit: opts.limit, _continue: opts.continue, resourceVersion: opts.resourceVersion, labelSelector: opts.labelSelector };
    const l = plain(await call(kind.typed ? this.typed('list', kind)({ ...this.scope(kind, ns), ...param }) : this.customCall('list', kind, ns, param)));
    return { items: l.items, resourceVersion: l.metadata?.resourceVersion, continue: l.metadata?._continue ?? l.metadata?.continue };
  }

  async listInChunks(kind: KindRef, ns: string | undefined, limit: number): Promise<ListResult> {
    const items: Obj[] = [];
    let cont: string | undefined;
    let requests = 0;
    do {
      const page = await this.list(kind, ns, { limit, continue: cont });
      requests++;
      items.push(...page.items);
      cont = page.continue;
    } while (cont);
    return { items, requests };
  }

  async create(kind: KindRef, ns: string | undefined, body: Obj): Promise<Obj> {
    return plain(await call(kind.typed ? this.typed('create', kind)({ ...this.scope(kind, ns), body }) : this.customCall('create', kind, ns, { body })));
  }

  async get(kind: KindRef, ns: string | undefined, name: string): Promise<Obj> {
    return plain(await call(kind.typed ? this.typed('read', kind)({ ...this.scope(kind, ns), name }) : this.customCall('get', kind, ns, { name })));
  }

  async patch(kind: KindRef, ns: string | undefined, name: string, type: PatchType, body: unknown): Promise<Obj> {
    const options = setHeaderOptions('Content-Type', PATCH_MEDIA_TYPES[type]);
    return plain(await call(kind.typed ? this.typed('patch', kind)({ ...this.scope(kind, ns), name, body }, options) : this.customCall('patch', kind, ns, { name, body }, options)));
  }

  async replace(kind: KindRef, ns: string | undefined, name: string, body: Obj): Promise<Obj> {
    return plain(await call(kind.typed ? this.typed('replace', kind)({ ...this.scope(kind, ns), name, body }) : this.customCall('replace', kind, ns, { name, body })));
  }

  async delete(kind: KindRef, ns: string | undefined, name: string): Promise<DeleteAnswer> {
    const info = (await call(
      kind.typed ? this.typed('delete', kind, 'WithHttpInfo')({ ...this.scope(kind, ns), name }) : this.customCall('delete', kind, ns, { name }, undefined, 'WithHttpInfo'),
    )) as { httpStatusCode: number; data: unknown };
    return { code: info.httpStatusCode, body: plain(info.data) };
  }

  private async startWatch(kind: KindRef, ns: string | undefined, resourceVersion: string): Promise<ClientWatch> {
    const w = new NodeWatch();
    this.watches.add(w);
    w.controller = await call(new Watch(this.kc).watch(pathOf(kind, ns), { resourceVersion, allowWatchBookmarks: true }, w.onEvent, w.onDone));
    return w;
  }

  async watchFromList(kind: KindRef, ns: string | undefined): Promise<ClientWatch> {
    const l = await this.list(kind, ns);
    return this.startWatch(kind, ns, l.resourceVersion!);
  }

  watchFrom(kind: KindRef, ns: string | undefined, resourceVersion: string): Promise<ClientWatch> {
    return this.startWatch(kind, ns, resourceVersion);
  }

  /**
   * An informer on the scenario's collection: its add/update/delete callbacks
   * must come out exactly as the server's events, and its cache must end
   * without the deleted object.
   */
  async observe(kind: KindRef, ns: string | undefined): Promise<Observer> {
    const seen: WatchEvent[] = [];
    const errors: string[] = [];
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    const listFn = async (): Promise<KubernetesListObject<KubernetesObject>> => {
      const l = await this.list(kind, ns);
      return { apiVersion: kind.group ? `${kind.group}/${kind.version}` : kind.version, kind: `${kind.kind}List`, metadata: { resourceVersion: l.resourceVersion }, items: l.items };
    };
    const informer = makeInformer(this.kc, pathOf(kind, ns), listFn);
    const record = (type: string) => (o: KubernetesObject) => recordEvent(seen, type, plain(o));
    informer.on('add', record('ADDED'));
    informer.on('update', record('MODIFIED'));
    informer.on('delete', record('DELETED'));
    informer.on('error', (err: unknown) => {
      errors.push(String((err as Error)?.message ?? err));
      if (!stopped) retry = setTimeout(() => void informer.start(), 200);
    });
    await informer.start();
    return {
      async check(name, expected) {
        const trail = (es: WatchEvent[]) => es.filter((e) => e.name === name).map((e) => `${e.type}@${e.resourceVersion}`);
        const deadline = Date.now() + 30_000;
        while (JSON.stringify(trail(seen)) !== JSON.stringify(trail(expected)) || informer.get(name, ns) !== undefined) {
          if (Date.now() > deadline) {
            throw new Error(`the informer saw ${trail(seen).join(' ')} (cached: ${informer.get(name, ns) !== undefined}), the server ${trail(expected).join(' ')}; errors: ${errors.join(' | ')}`);
          }
          await sleep(20);
        }
        if (errors.length) throw new Error(`the informer reported errors: ${errors.join(' | ')}`);
      },
      async stop() {
        stopped = true;
        clearTimeout(retry);
        await informer.stop();
      },
    };
  }

  async close(): Promise<void> {
    for (const w of this.watches) await w.disconnect();
  }
}
