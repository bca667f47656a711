// The Client over HTTP(S) for processes outside `workplane serve` (node
// agents, data plane agents) or any Kubernetes-compatible API server.
// Discovery (`/api/v1` and `/apis` plus each group version) maps kinds to
// resources once at connect; refresh with discover().

import { expired as expiredError, isNotFound, type ApiError } from '../api/errors.js';
import type { KObject } from '../api/object.js';
import { resourceNotFound } from './errors.js';
import { loadKubeconfig, type ClusterConnection } from './kubeconfig.js';
import { apiErrorFrom, HttpTransport, type TransportOptions } from './http-transport.js';
import type {
  Client,
  DeleteOpts,
  GroupVersionResource,
  ListOpts,
  ObjectList,
  PatchType,
  ResourceClient,
  Watch,
  WatchHandler,
  WatchOpts,
  WriteOpts,
} from './types.js';

export interface HttpClientOptions extends TransportOptions {
  /** Sent as ?fieldManager on writes that name none. */
  fieldManager?: string;
}

interface Discovered {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

const PATCH_CONTENT: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class HttpClient implements Client {
  readonly transport: HttpTransport;
  private byGvr = new Map<string, HttpResourceClient>();
  private byKind = new Map<string, HttpResourceClient>();

  private constructor(readonly opts: HttpClientOptions) {
    this.transport = new HttpTransport(opts);
  }

  static async connect(opts: HttpClientOptions): Promise<HttpClient> {
    const c = new HttpClient(opts);
    try {
      await c.discover();
    } catch (e) {
      c.close();
      throw e;
    }
    return c;
  }

  static async fromKubeconfig(path: string, opts: Omit<HttpClientOptions, keyof ClusterConnection> & { context?: string } = {}): Promise<HttpClient> {
    return HttpClient.connect({ ...(await loadKubeconfig(path, opts.context)), ...opts });
  }

  /**
   * The same server and discovered resources with other credentials (a node's client
   * certificate instead of the bootstrap token): no second discovery round.
   */
  withCredentials(creds: Pick<ClusterConnection, 'token' | 'certPem' | 'keyPem'>, opts: Omit<HttpClientOptions, keyof ClusterConnection> = {}): HttpClient {
    const c = new HttpClient({ ...this.opts, token: undefined, certPem: undefined, keyPem: undefined, ...opts, ...creds });
    const copies = new Map<HttpResourceClient, HttpResourceClient>();
    for (const [k, rc] of this.byGvr) {
      const copy = rc.rebind(c);
      copies.set(rc, copy);
      c.byGvr.set(k, copy);
    }
    for (const [k, rc] of this.byKind) c.byKind.set(k, copies.get(rc) ?? rc.rebind(c));
    return c;
  }

  /** (Re)reads the served resources. */
  async discover(): Promise<void> {
    const gvs: { group: string; version: string; preferred: boolean }[] = [{ group: '', version: 'v1', preferred: true }];
    const { body } = await this.transport.request('GET', '/apis');
    for (const g of ((body as { groups?: unknown[] }).groups ?? []) as { name: string; versions: { version: string }[]; preferredVersion?: { version: string } }[]) {
      const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
      for (const v of g.versions) gvs.push({ group: g.name, version: v.version, preferred: v.version === preferred });
    }
    const lists = await Promise.all(
      gvs.map(async (gv) => {
        const path = gv.group ? `/apis/${gv.group}/${gv.version}` : '/api/v1';
        const r = await this.transport.request('GET', path);
        return { gv, resources: ((r.body as { resources?: Discovered[] }).resources ?? []).filter((x) => !x.name.includes('/')) };
      }),
    );
    const byGvr = new Map<string, HttpResourceClient>();
    const byKind = new Map<string, HttpResourceClient>();
    // Preferred versions first, so a kind resolves to its preferred version.
    lists.sort((a, b) => Number(b.gv.preferred) - Number(a.gv.preferred));
    for (const { gv, resources } of lists) {
      for (const d of resources) {
        const rc = new HttpResourceClient(this, { group: gv.group, version: gv.version, resource: d.name }, d);
        byGvr.set(`${gv.group}/${gv.version}/${d.name}`, rc);
        if (!byKind.has(`${gv.group}/${d.kind}`)) byKind.set(`${gv.group}/${d.kind}`, rc);
      }
    }
    this.byGvr = byGvr;
    this.byKind = byKind;
  }

  /** Throws 404 when discovery did not list the resource. */
  resource(gvr: GroupVersionResource): ResourceClient {
    const rc = this.byGvr.get(`${gvr.group}/${gvr.version}/${gvr.resource}`);
    if (!rc) throw resourceNotFound();
    return rc;
  }

  forKind(apiVersion: string, kind: string): ResourceClient | undefined {
    const slash = apiVersion.indexOf('/');
    return this.byKind.get(`${slash < 0 ? '' : apiVersion.slice(0, slash)}/${kind}`);
  }

  resources(): ResourceClient[] {
    return [...this.byGvr.values()].filter((r) => r.verbs.includes('list') && r.verbs.includes('watch'));
  }

  close(): void {
    this.transport.close();
  }
}

class HttpResourceClient implements ResourceClient {
  readonly kind: string;

  readonly namespaced: boolean;
  readonly verbs: string[];
  private readonly base: string;
  private readonly apiVersion: string;

  constructor(
    private readonly c: HttpClient,
    readonly gvr: GroupVersionResource,
    private readonly d: Discovered,
  ) {
    this.kind = d.kind;
    this.namespaced = d.namespaced;
    this.verbs = d.verbs ?? [];
    this.base = gvr.group ? `/apis/${gvr.group}/${gvr.version}` : `/api/${gvr.version}`;
    this.apiVersion = gvr.group ? `${gvr.group}/${gvr.version}` : gvr.version;
  }

  /** The same resource through another client (other credentials). */
  rebind(c: HttpClient): HttpResourceClient {
    return new HttpResourceClient(c, this.gvr, this.d);
  }

  private path(namespace: string | undefined, name?: string, sub?: string): string {
    let p = this.base;
    if (this.namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${this.gvr.resource}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (sub) p += `/${sub}`;
    return p;
  }

  private writeQuery(o?: WriteOpts) {
    return { fieldManager: o?.fieldManager ?? this.c.opts.fieldManager, dryRun: o?.dryRun ? 'All' : undefined };
  }

  private withKind(o: KObject): KObject {
    if (!o.kind) o.kind = this.kind;
    if (!o.apiVersion) o.apiVersion = this.apiVersion;
    return o;
  }

  async get(namespace: string | undefined, name: string): Promise<KObject | undefined> {
    try {
      return this.withKind((await this.c.transport.request('GET', this.path(namespace, name))).body as KObject);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async list(namespace?: string, o: ListOpts = {}): Promise<ObjectList> {
    // Over HTTP every list is the caller's own copy already.
    const { readOnly: _, ...query } = o;
    const { body } = await this.c.transport.request('GET', this.path(namespace), { query });
    const b = body as { items?: KObject[]; metadata?: { resourceVersion?: string; continue?: string } };
    const out: ObjectList = { items: (b.items ?? []).map((i) => this.withKind(i)), resourceVersion: b.metadata?.resourceVersion ?? '' };
    if (b.metadata?.continue) out.continue = b.metadata.continue;
    return out;
  }

  async create(namespace: string | undefined, obj: KObject, o?: WriteOpts): Promise<KObject> {
    const r = await this.c.transport.request('POST', this.path(namespace ?? obj.metadata?.namespace), { query: this.writeQuery(o), body: this.withKind({ ...obj }) });
    return r.body as KObject;
  }

  async update(namespace: string | undefined, obj: KObject, o?: WriteOpts & { subresource?: string }): Promise<KObject> {
    const path = this.path(namespace ?? obj.metadata?.namespace, obj.metadata?.name ?? '', o?.subresource);
    return (await this.c.transport.request('PUT', path, { query: this.writeQuery(o), body: this.withKind({ ...obj }) })).body as KObject;
  }

  updateStatus(namespace: string | undefined, obj: KObject, o?: WriteOpts): Promise<KObject> {
    return this.update(namespace, obj, { ...o, subresource: 'status' });
  }

  async patch(namespace: string | undefined, name: string, type: PatchType, patch: unknown, o?: WriteOpts & { subresource?: string }): Promise<KObject> {
    const query = { ...this.writeQuery(o), force: type === 'apply' && o?.force ? true : undefined };
    const r = await this.c.transport.request('PATCH', this.path(namespace, name, o?.subresource), { query, body: patch, contentType: PATCH_CONTENT[type] });
    return r.body as KObject;
  }

  async delete(namespace: string | undefined, name: string, o: DeleteOpts = {}): Promise<KObject> {
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', ...o };
    return (await this.c.transport.request('DELETE', this.path(namespace, name), { body })).body as KObject;
  }

  watch(namespace: string | undefined, o: WatchOpts, handler: WatchHandler): Watch {
    const query = {
      watch: 'true',
      resourceVersion: o.resourceVersion,
      labelSelector: o.labelSelector,
      fieldSelector: o.fieldSelector,
      allowWatchBookmarks: o.allowBookmarks ? 'true' : undefined,
      // As client-go does: spread reconnects of many clients over 5-10 minutes.
      timeoutSeconds: o.timeoutSeconds ?? Math.floor(300 + Math.random() * 300),
    };
    let stopped = false;
    const close = (err?: Error) => {
      if (stopped) return;
      stopped = true;
      stream.abort();
      handler.onClose(err && (err as ApiError).code === 410 ? Object.assign(expiredError(err.message), { expired: true }) : err);
    };
    const stream = this.c.transport.streamLines(
      this.path(namespace),
      query,
      (line) => {
        if (stopped) return;
        const ev = line as { type?: string; object?: KObject };
        if (ev.type === 'ERROR') return close(apiErrorFrom(500, ev.object));
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED' || ev.type === 'DELETED' || ev.type === 'BOOKMARK') {
          if (ev.object && typeof ev.object === 'object') handler.onEvent(ev.type, this.withKind(ev.object));
        }
      },
      (err) => close(err),
    );
    return {
      stop: () => {
        stopped = true;
        stream.abort();
      },
    };
  }
}
