// Containers run as detached process groups, so a signal reaches everything a
// container started. Groups still alive are SIGKILLed when the agent process
// exits, however it exits, so no container outlives its agent.

const live = new Set<number>();
let hooked = false;

/** Signals a whole process group; a group already gone is not an error. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    /* ESRCH: nothing left in the group */
  }
}

export function trackGroup(pid: number): void {
  live.add(pid);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const p of live) killGroup(p, 'SIGKILL');
    });
  }
}

export function untrackGroup(pid: number): void {
  live.delete(pid);
}
