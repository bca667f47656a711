// What a simulated container does, read from the pod's annotations so tests
// and demos can make pods crash or complete without a real process:
//   workplane.dev/simulate-exit-code: "1"         every container exits 1
//   workplane.dev/simulate-run-seconds: "2"       ... after running 2 s (default 0)
//   workplane.dev/simulate-exit-code.<container>  per-container override (same for run-seconds)
// Without an exit code a simulated container runs until it is killed.

export const SIMULATE_EXIT_CODE = 'workplane.dev/simulate-exit-code';
export const SIMULATE_RUN_SECONDS = 'workplane.dev/simulate-run-seconds';

export interface ContainerPlan {
  /** Exit code of every run; undefined: runs forever. */
  exitCode?: number;
  /** How long each run lasts before it exits. */
  runMs: number;
}

const FOREVER: ContainerPlan = { runMs: 0 };

function number(annotations: Record<string, string>, key: string, container: string): number | undefined {
  const raw = annotations[`${key}.${container}`] ?? annotations[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

export function containerPlan(annotations: Record<string, string> | undefined, container: string): ContainerPlan {
  if (!annotations) return FOREVER;
  const exitCode = number(annotations, SIMULATE_EXIT_CODE, container);
  if (exitCode === undefined) return FOREVER;
  const seconds = number(annotations, SIMULATE_RUN_SECONDS, container) ?? 0;
  return { exitCode: Math.trunc(exitCode) & 255, runMs: Math.max(0, seconds * 1000) };
}
