import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { convertV4MiniflareOptions, kCurrentWorker, Miniflare, type V4WorkerOptionsShape } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { BENCH_VARS, RATE_LIMITER_MODE, readDevSecrets, ROOT } from "./config.ts";

export interface Runtime {
  mf: Miniflare;
  /** Where workerd listens, e.g. http://127.0.0.1:34567 (no trailing slash). */
  baseUrl: string;
}

/** The bench worker's name, so its own entrypoints can be bound to it. */
const WORKER_NAME = "holdfast-bench";

/**
 * Starts workerd through Miniflare's API with the bench bundle. The bindings
 * come from wrangler.toml, through the same translation `wrangler dev` and the
 * test pool use, so the bench follows the product as it gains bindings; the
 * bench then adds its probe objects and pins what it depends on. Nothing is
 * persisted: Miniflare keeps state in a temporary directory that dispose()
 * removes, so every run starts from empty objects and an empty D1.
 */
export async function startRuntime(scriptPath: string, options: { inspectorPort?: number } = {}): Promise<Runtime> {
  const secrets = readDevSecrets();
  // wrangler reads required secrets from the environment; without them it warns.
  for (const [name, value] of Object.entries(secrets)) process.env[name] ??= value;
  // Keeps wrangler's informational lines ("Using secrets defined in process.env") off stdout.
  process.env.WRANGLER_LOG ??= "warn";
  // wrangler's declared type loses the option names (an Omit over an index
  // signature); the value is Miniflare's own single-Worker shape.
  const { modulesRules: _rules, ...fromConfig } = unstable_getMiniflareWorkerOptions(path.join(ROOT, "wrangler.toml"))
    .workerOptions as V4WorkerOptionsShape;

  const configured = fromConfig.ratelimits ?? {};
  const limiterNames = Object.keys(configured);
  const limiters: V4WorkerOptionsShape =
    RATE_LIMITER_MODE === "miniflare"
      ? // Miniflare's simulator, with limits no run can reach.
        {
          ratelimits: Object.fromEntries(
            limiterNames.map((name) => [name, { ...configured[name]!, simple: { limit: 1_000_000_000, period: 10 } }]),
          ),
        }
      : // The stand-in entrypoint in bench/worker.ts (see there for why).
        {
          ratelimits: {},
          serviceBindings: {
            ...fromConfig.serviceBindings,
            ...Object.fromEntries(limiterNames.map((name) => [name, { name: kCurrentWorker, entrypoint: "AllowAllRateLimiter" }])),
          },
        };

  const mf = new Miniflare(
    // This Miniflare (5.x beta) constructor takes a `workers: [...]` manifest; the
    // single-Worker shape below is converted by Miniflare's own adapter.
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      // A log line per request would cost more than some of the requests measured.
      logRequests: false,
      telemetry: { enabled: false },
      ...fromConfig,
      ...limiters,
      name: WORKER_NAME,
      // One self-contained ES module, so wrangler's module rules have nothing to match.
      modules: true,
      scriptPath,
      durableObjects: {
        ...fromConfig.durableObjects,
        // SQLite-backed like SkuObject (wrangler.toml's new_sqlite_classes).
        NOOP: { className: "NoopObject", useSQLite: true },
        ONE_WRITE: { className: "OneWriteObject", useSQLite: true },
      },
      bindings: { ...fromConfig.bindings, ...secrets, ...BENCH_VARS },
      // Only bench/profile.ts opens the inspector; it slows nothing until a profiler attaches.
      ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
    }),
  );
  const url = await mf.ready;
  await applyD1Migrations(mf);
  return { mf, baseUrl: url.origin };
}

/**
 * Applies migrations/*.sql in file order, each split on drizzle's statement
 * breakpoints, as `wrangler d1 migrations apply` would on an empty database.
 */
async function applyD1Migrations(mf: Miniflare): Promise<void> {
  const db = await mf.getD1Database("DB");
  const dir = path.join(ROOT, "migrations");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sql")).sort();
  for (const file of files) {
    const statements = readFileSync(path.join(dir, file), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    for (const statement of statements) await db.prepare(statement).run();
  }
}
