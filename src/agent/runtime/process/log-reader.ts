// Reads a container log file written by LogWriter back as `kubectl logs` text:
// `tailLines` (counted in records from the end), `sinceSeconds`, `timestamps`,
// `limitBytes`, and `follow`, which keeps reading while the log is live and
// ends once its instance has stopped.

import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { LiveLog } from './log-writer.js';

export interface ReadLogOptions {
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  limitBytes?: number;
  /** Keep reading until `live` closes; ignored without `live`. */
  follow?: boolean;
}

const CHUNK = 64 * 1024;

export function readLog(path: string, opts: ReadLogOptions, live?: LiveLog): Readable {
  return new LogStream(path, opts, opts.follow ? live : undefined);
}

class LogStream extends Readable {
  private fh: FileHandle | undefined;
  private pos = 0;
  private rest = Buffer.alloc(0);
  private sent = 0;
  private pumping = false;
  private wake: (() => void) | undefined;
  private readonly sinceMs: number | undefined;

  constructor(
    private readonly path: string,
    private readonly opts: ReadLogOptions,
    private readonly live: LiveLog | undefined,
  ) {
    super();
    this.sinceMs = opts.sinceSeconds !== undefined ? Date.now() - opts.sinceSeconds * 1000 : undefined;
  }

  override _construct(callback: (err?: Error | null) => void): void {
    open(this.path, 'r')
      .then(async (fh) => {
        this.fh = fh;
        if (this.opts.tailLines !== undefined) this.pos = await tailStart(fh, this.opts.tailLines);
        callback();
      })
      .catch((e: Error) => callback(e));
  }

  override _read(): void {
    if (!this.pumping) void this.pump();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    this.wake?.();
    const fh = this.fh;
    this.fh = undefined;
    if (!fh) return callback(err);
    fh.close().then(
      () => callback(err),
      () => callback(err),
    );
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        const fh = this.fh;
        if (!fh || this.destroyed) return;
        // Both are read before the file: whatever was written before they were
        // taken is then surely in what we read next.
        const finished = !this.live || this.live.closed;
        const seen = this.live?.version ?? 0;
        const buf = Buffer.allocUnsafe(CHUNK);
        const { bytesRead } = await fh.read(buf, 0, CHUNK, this.pos);
        if (this.destroyed) return;
        if (bytesRead > 0) {
          this.pos += bytesRead;
          const more = this.emitRecords(buf.subarray(0, bytesRead));
          if (this.ended()) return;
          if (!more) return; // wait for the consumer's next _read
          continue;
        }
        if (finished) {
          this.push(null);
          return;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          void this.live!.changed(seen).then(resolve);
        });
        this.wake = undefined;
      }
    } catch (e) {
      this.destroy(e as Error);
    } finally {
      this.pumping = false;
    }
  }

  /** Pushes the complete records in `chunk`; false when the consumer wants no more for now. */
  private emitRecords(chunk: Buffer): boolean {
    const data = this.rest.length ? Buffer.concat([this.rest, chunk]) : chunk;
    const out: Buffer[] = [];
    let start = 0;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
      const text = this.format(data.subarray(start, nl));
      start = nl + 1;
      if (text) out.push(text);
    }
    this.rest = Buffer.from(data.subarray(start));
    if (!out.length) return true;
    let text = Buffer.concat(out);
    const limit = this.opts.limitBytes;
    if (limit !== undefined && this.sent + text.length >= limit) {
      text = text.subarray(0, limit - this.sent);
      this.sent = limit;
      if (text.length) this.push(text);
      this.push(null);
      return false;
    }
    this.sent += text.length;
    return this.push(text);
  }

  private ended(): boolean {
    return this.opts.limitBytes !== undefined && this.sent >= this.opts.limitBytes;
  }

  /** One record as `kubectl logs` shows it, or undefined when filtered out. */
  private format(record: Buffer): Buffer | undefined {
    const s1 = record.indexOf(32);
    const s2 = s1 < 0 ? -1 : record.indexOf(32, s1 + 1);
    const s3 = s2 < 0 ? -1 : record.indexOf(32, s2 + 1);
    if (s3 < 0) return Buffer.concat([record, Buffer.from('\n')]); // not ours: show as is
    const ts = record.subarray(0, s1).toString('latin1');
    if (this.sinceMs !== undefined && Date.parse(ts) < this.sinceMs) return undefined;
    const full = record.subarray(s2 + 1, s3).toString('latin1') === 'F';
    const parts = [record.subarray(s3 + 1)];
    if (this.opts.timestamps) parts.unshift(Buffer.from(`${ts} `));
    if (full) parts.push(Buffer.from('\n'));
    return Buffer.concat(parts);
  }
}

/** Offset of the first of the last `n` records (newline-terminated lines) of the file. */
async function tailStart(fh: FileHandle, n: number): Promise<number> {
  const { size } = await fh.stat();
  if (n <= 0) return size;
  let count = 0;
  let end = size - 1; // the last byte ends the last record; it does not start one
  const buf = Buffer.allocUnsafe(CHUNK);
  while (end > 0) {
    const start = Math.max(0, end - CHUNK);
    const { bytesRead } = await fh.read(buf, 0, end - start, start);
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buf[i] === 10 && ++count === n) return start + i + 1;
    }
    end = start;
  }
  return 0;
}
