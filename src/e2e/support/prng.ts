// A small seeded PRNG for randomized end-to-end tests: the seed is printed so a
// failing run's choice of operations can be replayed (timing still varies).

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  /** A fresh generator derived from this one, so each client gets its own stream. */
  fork(): Rng;
}

/** mulberry32: 32 bits of state, good enough to choose test operations. */
export function seededRng(seed: number): Rng {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    fork: () => seededRng(Math.floor(next() * 4294967296)),
  };
  return rng;
}

/** The seed from `envName` when set (to replay a run), else a random one. */
export function seedFromEnv(envName: string): number {
  const text = process.env[envName];
  if (text !== undefined && text !== '') {
    const n = Number(text);
    if (!Number.isInteger(n)) throw new Error(`${envName} must be an integer, not "${text}"`);
    return n >>> 0;
  }
  return Math.floor(Math.random() * 4294967296);
}
