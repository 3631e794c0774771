/** Command-line options of `npm run chaos` (scripts/chaos.ts). */

export interface ChaosOptions {
  /** Seeds the kill schedule and every virtual shopper's choices. */
  seed: number;
  /** SIGKILLs of the runtime during the load phase. */
  kills: number;
  /** Length of the load phase in seconds of the runtime's up-time (restarts come on top). */
  seconds: number;
  /** Concurrent virtual shoppers (each its own customer), plus one merchant. */
  shoppers: number;
  /** Longest wait after the load for queued payments, alarms and shipping to drain. */
  settleSeconds: number;
  /** Snapshot the Worker from this git revision instead of the working tree. */
  ref: string | null;
  /** Keep the temp dir (state, snapshot, wrangler log) even when every figure is zero. */
  keep: boolean;
}

export const USAGE = `usage: npm run chaos -- [--seed N] [--kills N] [--seconds N] [--shoppers N] [--settle N] [--ref REV] [--keep]

  --seed N       replay a schedule (kill times and each shopper's choices); default random, printed
  --kills N      SIGKILLs of the runtime during the load phase (default 6, 0-30)
  --seconds N    load phase length in seconds of runtime up-time; restarts come on top (default 90, 10-600)
  --shoppers N   concurrent virtual shoppers (default 20, 1-64)
  --settle N     longest wait for payments and alarms to drain after the load (default 45, 5-300)
  --ref REV      run the Worker as committed at REV (git archive) instead of the working tree
  --keep         keep the temp dir (persisted state, snapshot, wrangler log) after a clean run`;

const BOUNDS = {
  kills: [0, 30],
  seconds: [10, 600],
  shoppers: [1, 64],
  settleSeconds: [5, 300],
} as const;

export function parseOptions(argv: readonly string[], randomSeed: () => number): ChaosOptions {
  const opts: ChaosOptions = {
    seed: randomSeed(),
    kills: 6,
    seconds: 90,
    shoppers: 20,
    settleSeconds: 45,
    ref: null,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--seed":
        opts.seed = integer(flag, value(), 0, 0xffff_ffff);
        break;
      case "--kills":
        opts.kills = integer(flag, value(), ...BOUNDS.kills);
        break;
      case "--seconds":
        opts.seconds = integer(flag, value(), ...BOUNDS.seconds);
        break;
      case "--shoppers":
        opts.shoppers = integer(flag, value(), ...BOUNDS.shoppers);
        break;
      case "--settle":
        opts.settleSeconds = integer(flag, value(), ...BOUNDS.settleSeconds);
        break;
      case "--ref": {
        const ref = value();
        // A revision, never something git could read as an option.
        if (!/^[A-Za-z0-9][A-Za-z0-9._/~^@{}-]{0,199}$/.test(ref)) throw new Error(`--ref ${ref} is not a revision`);
        opts.ref = ref;
        break;
      }
      case "--keep":
        opts.keep = true;
        break;
      case "--help":
      case "-h":
        throw new HelpRequested();
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  return opts;
}

export class HelpRequested extends Error {}

function integer(flag: string, raw: string, min: number, max: number): number {
  if (!/^[0-9]{1,10}$/.test(raw)) throw new Error(`${flag} ${raw} is not a decimal integer`);
  const n = Number(raw);
  if (n < min || n > max) throw new Error(`${flag} must be between ${min} and ${max}`);
  return n;
}
