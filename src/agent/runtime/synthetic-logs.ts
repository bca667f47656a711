// The log text of a simulated container: a few lines per run, kept for the
// current and the previous run only (what `kubectl logs [--previous]` can
// reach), rendered with kubelet's options (tail, timestamps, since, limit).
// Followers of the current run get its later lines and end when it ends.

import { PassThrough, Readable } from 'node:stream';
import type { LogOptions } from './types.js';

interface Line {
  at: number;
  text: string;
}

interface Run {
  lines: Line[];
  ended: boolean;
  /** Open `--follow` streams, and whether each wants timestamps. */
  followers?: Map<PassThrough, boolean>;
}

/** RFC 3339 with nanoseconds, as kubelet prefixes lines with --timestamps. */
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

export class SyntheticLogs {
  private current?: Run;
  private previous?: Run;

  /** Starts a new run; the one before becomes `previous`. */
  newRun(): void {
    if (this.current) this.end();
    this.previous = this.current;
    this.current = { lines: [], ended: false };
  }

  write(text: string): void {
    const run = this.current;
    if (!run || run.ended) return;
    const line = { at: Date.now(), text };
    run.lines.push(line);
    for (const [f, ts] of run.followers ?? []) f.write(ts ? `${stamp(line.at)} ${text}\n` : `${text}\n`);
  }

  /** The current run stopped: followers end. */
  end(): void {
    const run = this.current;
    if (!run || run.ended) return;
    run.ended = true;
    for (const f of run.followers?.keys() ?? []) f.end();
    run.followers = undefined;
  }

  get hasPrevious(): boolean {
    return this.previous !== undefined;
  }

  /** Undefined when the asked-for run does not exist. */
  read(opts: LogOptions): Readable | undefined {
    const run = opts.previous ? this.previous : this.current;
    if (!run) return undefined;
    let lines = run.lines;
    if (opts.sinceSeconds !== undefined) {
      const since = Date.now() - opts.sinceSeconds * 1000;
      lines = lines.filter((l) => l.at >= since);
    }
    if (opts.tailLines !== undefined) lines = opts.tailLines <= 0 ? [] : lines.slice(-opts.tailLines);
    const render = (l: Line) => (opts.timestamps ? `${stamp(l.at)} ${l.text}\n` : `${l.text}\n`);
    let text = lines.map(render).join('');
    const limited = opts.limitBytes !== undefined && Buffer.byteLength(text) > opts.limitBytes;
    if (limited) text = Buffer.from(text).subarray(0, opts.limitBytes).toString();
    if (!opts.follow || opts.previous || run.ended || limited) return Readable.from(text ? [text] : []);
    const out = new PassThrough();
    out.write(text);
    (run.followers ??= new Map()).set(out, !!opts.timestamps);
    out.on('close', () => run.followers?.delete(out));
    return out;
  }
}
