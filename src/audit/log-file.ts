// The audit log file: one JSON line per event, appended with synchronous
// writes (an acknowledged request's line is in the file before the next
// request is handled, and a crash loses nothing the process wrote), rotated
// by size as kube's lumberjack backend does: the full file is renamed with a
// timestamp and the oldest backups beyond --audit-log-maxbackup are removed.

import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export interface LogFileOptions {
  /** Rotate when the file would exceed this many megabytes (0: never). */
  maxSizeMB?: number;
  /** Rotated files kept (0: all). */
  maxBackups?: number;
  clock?: () => Date;
}

export interface AuditSink {
  write(line: string): void;
  close(): void;
}

export class AuditLogFile implements AuditSink {
  private fd: number;
  private size: number;
  private readonly maxBytes: number;

  constructor(
    readonly path: string,
    private readonly opts: LogFileOptions = {},
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
    this.maxBytes = (opts.maxSizeMB ?? 0) * 1024 * 1024;
  }

  write(line: string): void {
    const buf = Buffer.from(`${line}\n`);
    if (this.maxBytes > 0 && this.size > 0 && this.size + buf.length > this.maxBytes) this.rotate();
    writeSync(this.fd, buf);
    this.size += buf.length;
  }

  /** The backup name lumberjack uses: `audit-2006-01-02T15-04-05.000.log`. */
  private backupName(): string {
    const ext = extname(this.path);
    const stem = basename(this.path, ext);
    const stamp = (this.opts.clock?.() ?? new Date()).toISOString().replace(/:/g, '-').replace('Z', '');
    let name = join(dirname(this.path), `${stem}-${stamp}${ext}`);
    for (let i = 1; existsSync(name); i++) name = join(dirname(this.path), `${stem}-${stamp}-${i}${ext}`);
    return name;
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.path, this.backupName());
    this.fd = openSync(this.path, 'a', 0o600);
    this.size = 0;
    this.prune();
  }

  private prune(): void {
    const keep = this.opts.maxBackups ?? 0;
    if (keep <= 0) return;
    const ext = extname(this.path);
    const prefix = `${basename(this.path, ext)}-`;
    const backups = readdirSync(dirname(this.path))
      .filter((f) => f.startsWith(prefix) && f.endsWith(ext))
      .sort();
    for (const f of backups.slice(0, Math.max(0, backups.length - keep))) unlinkSync(join(dirname(this.path), f));
  }

  close(): void {
    closeSync(this.fd);
  }
}
