// What one writer knows about one of its objects: which of its writes were
// acknowledged, which had an unknown outcome (the server died mid-request), and
// therefore which final states are acceptable. An acknowledged write must
// survive any crash; an ambiguous one may or may not have applied, but at most
// once.

export type CreateOutcome =
  | 'acked'
  /** No response; not yet read back. */
  | 'ambiguous'
  /** No response, then read back as present. */
  | 'confirmed'
  /** No response, then read back as missing: never used again. */
  | 'absent';

export type DeleteOutcome = 'none' | 'acked' | 'ambiguous' | 'confirmed';

export interface ObjectLedger {
  name: string;
  create: CreateOutcome;
  delete: DeleteOutcome;
  /** Updates answered 2xx. */
  ackedUpdates: number;
  /** Updates with no answer (or a 5xx). */
  ambiguousUpdates: number;
  /** Last known resourceVersion and counter, valid while `unresolved` is false. */
  rv: string;
  n: number;
  /** A resourceVersion the object no longer has, for precondition probes. */
  staleRv?: string;
  /** Read the object before writing again (the last write's outcome is unknown, or it conflicted). */
  unresolved: boolean;
  /** The last write had no answer (for the applied / not applied statistics). */
  ambiguousPending: boolean;
  /** Set when the object disappeared although no delete was attempted. */
  lost: boolean;
}

export function newLedger(name: string, create: CreateOutcome): ObjectLedger {
  return { name, create, delete: 'none', ackedUpdates: 0, ambiguousUpdates: 0, rv: '', n: 0, unresolved: create === 'ambiguous', ambiguousPending: create === 'ambiguous', lost: false };
}

/** Still being written by its owner. */
export const isActive = (l: ObjectLedger) => !l.lost && l.create !== 'absent' && (l.delete === 'none' || l.delete === 'ambiguous');

/** The counter bounds every read of the object must respect: every acked update applied, each ambiguous one at most once. */
export function counterProblem(l: ObjectLedger, n: number): string | undefined {
  if (Number.isInteger(n) && n >= l.ackedUpdates && n <= l.ackedUpdates + l.ambiguousUpdates) return undefined;
  return `${l.name}: n=${n} outside [${l.ackedUpdates}, ${l.ackedUpdates + l.ambiguousUpdates}] (acked ${l.ackedUpdates}, ambiguous ${l.ambiguousUpdates})`;
}

export interface FinalObject {
  rv: string;
  n: number;
}

/** Checks one object's final listed state (undefined = not listed) against what its writer knows. */
export function finalProblem(l: ObjectLedger, final: FinalObject | undefined): string | undefined {
  const createdForSure = l.create === 'acked' || l.create === 'confirmed';
  if (!createdForSure) {
    // Never known to exist; if it does, nothing can have updated it.
    if (final && final.n !== 0) return `${l.name}: create had no answer, yet it exists with n=${final.n}`;
    return undefined;
  }
  if (l.lost) return `${l.name}: disappeared during the run although never deleted`;
  if (l.delete === 'acked' || l.delete === 'confirmed') {
    return final ? `${l.name}: delete was ${l.delete === 'acked' ? 'acknowledged' : 'confirmed'} but the object is listed (rv ${final.rv}, n=${final.n})` : undefined;
  }
  if (!final) return l.delete === 'ambiguous' ? undefined : `${l.name}: acknowledged create (acked updates ${l.ackedUpdates}) but the object is missing`;
  return counterProblem(l, final.n);
}
