// Bookkeeping for units that cannot be tried yet: which wait for a Workload
// (or its pod group) to appear, and since when each has been waiting, so the
// scheduler can wake them when the Workload arrives and say why they wait
// only after a grace period.

export class WaitingUnits {
  /** `namespace/workload` → units waiting for it. */
  private readonly byWorkload = new Map<string, Set<string>>();
  private readonly workloadOf = new Map<string, string>();
  private readonly since = new Map<string, number>();

  /** Records that `unit` waits (on `workloadKey`, if given); returns how long it has been waiting. */
  wait(unit: string, workloadKey: string | undefined, now: number): number {
    if (this.workloadOf.get(unit) !== workloadKey) {
      this.unlink(unit);
      if (workloadKey !== undefined) {
        let set = this.byWorkload.get(workloadKey);
        if (!set) this.byWorkload.set(workloadKey, (set = new Set()));
        set.add(unit);
        this.workloadOf.set(unit, workloadKey);
      }
    }
    const since = this.since.get(unit) ?? now;
    this.since.set(unit, since);
    return now - since;
  }

  /** The Workload appeared: the units waiting for it, no longer linked to it. */
  release(workloadKey: string): string[] {
    const set = this.byWorkload.get(workloadKey);
    if (!set) return [];
    this.byWorkload.delete(workloadKey);
    for (const u of set) this.workloadOf.delete(u);
    return [...set];
  }

  /** The unit no longer waits (it was tried, or is gone). */
  stop(unit: string): void {
    this.since.delete(unit);
    this.unlink(unit);
  }

  get size(): number {
    return this.since.size;
  }

  private unlink(unit: string): void {
    const key = this.workloadOf.get(unit);
    if (key === undefined) return;
    this.workloadOf.delete(unit);
    const set = this.byWorkload.get(key);
    set?.delete(unit);
    if (set?.size === 0) this.byWorkload.delete(key);
  }
}
