// Captures one container instance's stdout and stderr into a file in the CRI
// log format the kubelet reads (`<RFC3339Nano> <stream> <F|P> <content>`), so
// the timestamp of every line is kept beside it and `--timestamps` can show it.
// Appends are synchronous: records stay in order across both streams and a
// follower woken by `changed()` finds them already on disk.

import { closeSync, openSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { nowNanos, rfc3339Nano } from './clock.js';

/** What a follower needs from a log that may still grow. */
export interface LiveLog {
  readonly closed: boolean;
  /** Counts appends (and the close), so a reader can tell whether it missed one. */
  readonly version: number;
  /** Resolves once `version` differs from `seen`: at once if it already does. */
  changed(seen: number): Promise<void>;
}

// A line longer than this is written as partial records, as containerd does.
const MAX_RECORD = 16 * 1024;
// A line without its newline yet (a prompt, a progress bar) is shown after this long.
const PARTIAL_FLUSH_MS = 100;
const NL = Buffer.from('\n');

type StreamName = 'stdout' | 'stderr';

export class LogWriter implements LiveLog {
  private fd: number | undefined;
  private readonly pending: Record<StreamName, Buffer> = { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0) };
  private readonly timers: Partial<Record<StreamName, NodeJS.Timeout>> = {};
  private waiters: (() => void)[] = [];
  closed = false;
  version = 0;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  /** Copies a stream into the log; resolves when it ends. */
  attach(stream: Readable, name: StreamName): Promise<void> {
    return new Promise((resolve) => {
      stream.on('data', (chunk: Buffer) => this.take(name, chunk));
      const done = () => {
        this.flushPartial(name);
        resolve();
      };
      stream.once('close', done);
      stream.once('error', () => undefined);
    });
  }

  /** Writes one complete line (the runtime's own messages, tests). */
  line(name: StreamName, text: string): void {
    this.record(name, 'F', Buffer.from(text));
    this.notify();
  }

  close(): void {
    if (this.closed) return;
    for (const name of ['stdout', 'stderr'] as const) this.flushPartial(name);
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.notify();
  }

  changed(seen: number): Promise<void> {
    if (this.closed || this.version !== seen) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private take(name: StreamName, chunk: Buffer): void {
    let buf = this.pending[name].length ? Buffer.concat([this.pending[name], chunk]) : chunk;
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      this.writeLine(name, buf.subarray(start, nl));
      start = nl + 1;
    }
    buf = buf.subarray(start);
    while (buf.length > MAX_RECORD) {
      this.record(name, 'P', buf.subarray(0, MAX_RECORD));
      buf = buf.subarray(MAX_RECORD);
    }
    this.pending[name] = Buffer.from(buf);
    clearTimeout(this.timers[name]);
    if (buf.length) this.timers[name] = setTimeout(() => this.flushPartial(name), PARTIAL_FLUSH_MS).unref();
    this.notify();
  }

  private writeLine(name: StreamName, line: Buffer): void {
    while (line.length > MAX_RECORD) {
      this.record(name, 'P', line.subarray(0, MAX_RECORD));
      line = line.subarray(MAX_RECORD);
    }
    this.record(name, 'F', line);
  }

  private flushPartial(name: StreamName): void {
    clearTimeout(this.timers[name]);
    if (!this.pending[name].length) return;
    this.record(name, 'P', this.pending[name]);
    this.pending[name] = Buffer.alloc(0);
    this.notify();
  }

  private record(name: StreamName, tag: 'F' | 'P', content: Buffer): void {
    if (this.fd === undefined) return;
    writeSync(this.fd, Buffer.concat([Buffer.from(`${rfc3339Nano(nowNanos())} ${name} ${tag} `), content, NL]));
  }

  private notify(): void {
    this.version++;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
