// The watch API streams one JSON event per line over a chunked response, but
// fetch hands the page arbitrary byte chunks: a chunk may end mid-line or
// even mid-character. These helpers turn the bytes back into whole lines and
// the lines into typed watch events, refusing anything that is not one.

import type { KObject } from '../../api/object.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** A `Status` object as the API server sends it in errors and ERROR events. */
export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; kind?: string; causes?: { field?: string; message?: string; reason?: string }[] };
}

export type WatchEvent = { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: KObject } | { type: 'ERROR'; object: ApiStatus };

const TYPES = new Set<string>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** Cuts text arriving in pieces into complete lines; a line is only returned once its newline arrived. */
export class LineSplitter {
  private pending: string[] = [];

  push(text: string): string[] {
    const nl = text.indexOf('\n');
    if (nl < 0) {
      // No line ends here: keep the piece without re-copying what came before (a long object may span many chunks).
      if (text) this.pending.push(text);
      return [];
    }
    const parts = text.split('\n');
    parts[0] = this.pending.join('') + parts[0];
    const tail = parts.pop()!;
    this.pending = tail ? [tail] : [];
    return parts.map(stripCr).filter((l) => l.trim() !== '');
  }

  /** What is left when the stream ends: a final line without its newline, if any. */
  end(): string[] {
    const rest = stripCr(this.pending.join(''));
    this.pending = [];
    return rest.trim() ? [rest] : [];
  }
}

const stripCr = (l: string) => (l.endsWith('\r') ? l.slice(0, -1) : l);

export class WatchProtocolError extends Error {}

/** One line of a watch stream as an event; throws WatchProtocolError for anything else. */
export function parseWatchLine(line: string): WatchEvent {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    throw new WatchProtocolError(`watch stream: not JSON: ${line.slice(0, 120)}`);
  }
  if (typeof v !== 'object' || v === null) throw new WatchProtocolError('watch stream: an event must be a JSON object');
  const { type, object } = v as { type?: unknown; object?: unknown };
  if (typeof type !== 'string' || !TYPES.has(type)) throw new WatchProtocolError(`watch stream: unknown event type ${JSON.stringify(type)}`);
  if (typeof object !== 'object' || object === null || Array.isArray(object)) throw new WatchProtocolError(`watch stream: ${type} event without an object`);
  if (type === 'ERROR') return { type, object: object as ApiStatus };
  const meta = (object as { metadata?: unknown }).metadata;
  if (typeof meta !== 'object' || meta === null) throw new WatchProtocolError(`watch stream: ${type} object without metadata`);
  return { type: type as 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK', object: object as KObject };
}

/** The events of a watch response body, in order, until the server ends it or `signal` aborts. */
export async function* watchEvents(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<WatchEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const lines = new LineSplitter();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  let ended = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      for (const line of lines.push(decoder.decode(value, { stream: true }))) yield parseWatchLine(line);
    }
    for (const line of lines.push(decoder.decode())) yield parseWatchLine(line);
    for (const line of lines.end()) yield parseWatchLine(line);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A consumer that stops early (relist, error) must not leave the response open: it holds a connection.
    if (!ended) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
