// What the benchmark ran on, and where each process runs: the server on one
// core, the load on the others (with `taskset`, when present and there are two
// cores or more), so a figure measures the server and not its own client.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Placement {
  /** CPU list (taskset syntax) for the server under test and the engines it uses. */
  server?: string;
  /** CPU list for load generators, watchers and the bench itself. */
  load?: string;
  /** Every CPU (to undo pinning). */
  all?: string;
}

const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find((p) => existsSync(p));

/** Server on CPU 0, load on the rest; nothing pinned on one core or without taskset. */
export function placement(): Placement {
  const n = cpus().length;
  if (!TASKSET || n < 2 || process.env.BENCH_NO_PIN) return {};
  return { server: '0', load: n === 2 ? '1' : `1-${n - 1}`, all: `0-${n - 1}` };
}

/** The command prefix that runs a program on `cpus` (empty when not pinning). */
export function launcher(cpus: string | undefined): string[] {
  return TASKSET && cpus ? [TASKSET, '-c', cpus] : [];
}

/** Moves this process (every thread) to `cpus`. */
export function pinSelf(cpus: string | undefined): void {
  if (TASKSET && cpus) execFileSync(TASKSET, ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
}

function cpuModel(): string {
  const fromNode = cpus()[0]?.model?.trim();
  if (fromNode && fromNode !== 'unknown') return fromNode;
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return m ? m[1].trim() : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function machineFacts(p: Placement): string[] {
  const [l1, l5, l15] = loadavg();
  const pin = p.server ? `server on CPU ${p.server}, load on CPU ${p.load} (taskset)` : 'not pinned (no taskset or one core)';
  return [
    `machine: ${cpuModel()}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.versions.node}; ${process.platform} ${process.arch}`,
    `load average at start: ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)}; ${pin}`,
  ];
}

/** Resident set size of a process, from /proc (bytes), or undefined where there is none. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used, in milliseconds, from /proc; NaN where there is none. */
export function cpuMsOf(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces, hence the last ')').
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** USER_HZ: 100 on every Linux architecture node runs on. */
const CLOCK_TICKS = 100;
