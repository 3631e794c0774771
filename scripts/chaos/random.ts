/** Seeded randomness: the same seed gives the same kill schedule and the same choices per shopper. */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32 over a seed mixed with a stream name, so streams are independent of each other. */
export function rng(seed: number, stream: string): Rng {
  let s = mix(seed, stream);
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

function mix(seed: number, stream: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Kill moments as offsets (ms) of the runtime's up-time into the load phase
 * (restarts do not count): one per equal slot of 5%..85% of it, at a seeded
 * point of its slot, so the runtime always serves some load between kills
 * and the last stretch runs without kills.
 */
export function killSchedule(seed: number, kills: number, loadMs: number): number[] {
  const r = rng(seed, "kills");
  const from = loadMs * 0.05;
  const span = loadMs * 0.8;
  const slot = kills > 0 ? span / kills : 0;
  return Array.from({ length: kills }, (_, i) => Math.round(from + slot * i + r.next() * slot * 0.8));
}
