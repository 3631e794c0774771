import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  convertV4MiniflareOptions,
  kCurrentWorker,
  Miniflare,
  type V4QueueConsumerOptions,
  type V4WorkerdStructuredLog,
  type V4WorkerOptionsShape,
} from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { BENCH_VARS, RATE_LIMITER_MODE, readDevSecrets, ROOT } from "./config.ts";

export interface Runtime {
  mf: Miniflare;
  /** Where workerd listens, e.g. http://127.0.0.1:34567 (no trailing slash). */
  baseUrl: string;
  /** The payments queue's consumer as Miniflare runs it (wrangler.toml's settings). */
  paymentsConsumer: V4QueueConsumerOptions;
  /**
   * Lines the Worker logged, counted by their JSON `event` (notifications by
   * `notification:<type>`). Warnings and errors also go to stderr; info lines
   * are only counted, so stdout keeps just the table and the JSON line.
   */
  logEvents: Record<string, number>;
}

/** The queue whose consumer charges orders (src/payments/consumer.ts). */
export const PAYMENTS_QUEUE = "holdfast-payments";

/** Info lines echoed to stderr before the rest are only counted. */
const MAX_INFO_LINES_SHOWN = 10;

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

  // The checkout phase needs the payments consumer to run inside workerd, as wrangler.toml declares it.
  const consumers = fromConfig.queueConsumers;
  const paymentsConsumer = consumers && !Array.isArray(consumers) ? consumers[PAYMENTS_QUEUE] : undefined;
  if (!paymentsConsumer || !fromConfig.queueProducers) {
    throw new Error(`wrangler.toml gives Miniflare no consumer for ${PAYMENTS_QUEUE} (or no producers); checkout could not settle`);
  }

  const logEvents: Record<string, number> = {};
  let infoShown = 0;
  const handleStructuredLogs = ({ level, message }: V4WorkerdStructuredLog) => {
    const event = /"event":"([^"]+)"/.exec(message)?.[1];
    const type = event === "notification" ? /"type":"([a-z_.]+)"/.exec(message)?.[1] : undefined;
    const key = type ? `notification:${type}` : (event ?? `(${level})`);
    logEvents[key] = (logEvents[key] ?? 0) + 1;
    // The notifications consumer logs each delivery when no webhook URL is set: counted, never printed.
    if (level === "error" || level === "warn") process.stderr.write(`[workerd ${level}] ${message}\n`);
    else if (event !== "notification" && infoShown++ < MAX_INFO_LINES_SHOWN) process.stderr.write(`[workerd] ${message}\n`);
  };

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
      handleStructuredLogs,
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
        QUEUE_SCALE: { className: "QueueScaleShard", useSQLite: true },
        QUEUE_SCALE_COORD: { className: "QueueScaleCoordinator", useSQLite: true },
        UNMETERED_SKU: { className: "UnmeteredSkuObject", useSQLite: true },
        BARE_SKU: { className: "BareSkuObject", useSQLite: true },
      },
      bindings: { ...fromConfig.bindings, ...secrets, ...BENCH_VARS },
      // Only bench/profile.ts opens the inspector; it slows nothing until a profiler attaches.
      ...(options.inspectorPort === undefined ? {} : { inspectorPort: options.inspectorPort }),
    }),
  );
  const url = await mf.ready;
  await applyD1Migrations(mf);
  return { mf, baseUrl: url.origin, paymentsConsumer, logEvents };
}

/**
 * Applies migrations/*.sql in file order, each split on drizzle's statement
 * breakpoints, as `wrangler d1 migrations apply` would on an empty database.
 */
export async function applyD1Migrations(mf: Miniflare): Promise<void> {
  const db = await mf.getD1Database("DB");
  const dir = path.join(ROOT, "migrations");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort();
  for (const file of files) {
    const statements = readFileSync(path.join(dir, file), "utf8")
      .split("--> statement-breakpoint")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    for (const statement of statements) await db.prepare(statement).run();
  }
}
