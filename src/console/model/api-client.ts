// How the console talks to the API: every request carries the user's bearer
// token and nothing else (no cookies), so the page can see and do exactly
// what the token may. Failures become ApiRequestError with the API's own
// Status message, which is what the page shows the user.

import type { KObject } from '../../api/object.js';
import type { ApiStatus } from './watch-lines.js';

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export class ApiRequestError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly status?: ApiStatus,
  ) {
    super(message);
  }
}

export const isForbidden = (e: unknown): boolean => e instanceof ApiRequestError && e.code === 403;
export const isUnauthorized = (e: unknown): boolean => e instanceof ApiRequestError && e.code === 401;
export const isNotFound = (e: unknown): boolean => e instanceof ApiRequestError && e.code === 404;

/** The error for a failed response: the Status message when the body is one, else the HTTP status line. */
export async function errorFromResponse(res: Response): Promise<ApiRequestError> {
  const text = await res.text().catch(() => '');
  let status: ApiStatus | undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && (v as ApiStatus).kind === 'Status') status = v as ApiStatus;
  } catch {
    // not JSON: fall back to the text
  }
  const reason = status?.reason ?? (res.statusText || 'Error');
  const message = status?.message ?? (text.trim() || `${res.status} ${res.statusText}`);
  return new ApiRequestError(res.status, reason, message, status);
}

export interface RequestOptions {
  method?: string;
  body?: string;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly fetchFn: FetchFn = (i, init) => fetch(i, init),
    /** Called when the API refuses the token (it expired or was revoked): the session is over. */
    private readonly onUnauthorized?: () => void,
  ) {}

  private async send(path: string, opts: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: opts.accept ?? 'application/json' };
    if (opts.contentType) headers['Content-Type'] = opts.contentType;
    const res = await this.fetchFn(path, { method: opts.method ?? 'GET', headers, body: opts.body, signal: opts.signal, credentials: 'omit' });
    if (!res.ok) {
      const err = await errorFromResponse(res);
      if (err.code === 401) this.onUnauthorized?.();
      throw err;
    }
    return res;
  }

  /** A JSON request; resolves with the parsed body. */
  async request<T = unknown>(path: string, opts: RequestOptions = {}): Promise<T> {
    const res = await this.send(path, opts);
    return (await res.json()) as T;
  }

  get<T = unknown>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>(path, { signal });
  }

  /** Opens a watch; resolves with the response body once the server accepted it. */
  async watch(path: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const res = await this.send(path, { signal });
    if (!res.body) throw new ApiRequestError(0, 'NoBody', 'the watch response has no body');
    return res.body;
  }

  /** Replaces an object (PUT): the edit carries its resourceVersion, so a concurrent change is a Conflict, not lost. */
  replace(path: string, obj: KObject): Promise<KObject> {
    return this.request<KObject>(path, { method: 'PUT', body: JSON.stringify(obj), contentType: 'application/json' });
  }

  /** Server-side apply of a YAML document as the console's field manager, taking over conflicting fields. */
  apply(path: string, yaml: string, fieldManager = 'workplane-console'): Promise<KObject> {
    const q = new URLSearchParams({ fieldManager, force: 'true' });
    return this.request<KObject>(`${path}?${q}`, { method: 'PATCH', body: yaml, contentType: 'application/apply-patch+yaml' });
  }
}
