/**
 * How long a revoked API key keeps working (spec §12: "refused everywhere
 * within five seconds"). One workerd runs the product twice, as two Workers
 * bound to the same D1: two isolates, each with its own cache of key lookups,
 * as two data centres would have. Each trial creates a key, warms both caches
 * with it, revokes it through the first and polls both every POLL_MS until
 * each refuses it, printing each one's time from the revocation's reply to its
 * first refusal. `npm run bench:revocation` (TRIALS=<n>, default 5).
 */
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare, type V4WorkerOptionsShape } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { bundleBenchWorker } from "./build.ts";
import { readDevSecrets, ROOT } from "./config.ts";
import { applyD1Migrations } from "./runtime.ts";

const TRIALS = Number(process.env.TRIALS ?? 5);
const POLL_MS = 20;
const WARM_MS = 3_000;
const GIVE_UP_MS = 30_000;
const NAMES = ["isolate-a", "isolate-b"] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const secrets = readDevSecrets();
for (const [name, value] of Object.entries(secrets)) process.env[name] ??= value;
process.env.WRANGLER_LOG ??= "warn";
const ADMIN = `Bearer ${secrets.ADMIN_TOKEN}`;
const {
  modulesRules: _rules,
  queueConsumers: _consumers,
  ...fromConfig
} = unstable_getMiniflareWorkerOptions(path.join(ROOT, "wrangler.toml")).workerOptions as V4WorkerOptionsShape;
const scriptPath = await bundleBenchWorker();
const mf = new Miniflare(
  convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: 0,
    logRequests: false,
    telemetry: { enabled: false },
    // The bench bundle's probe objects are not bound here; the product's bindings are, in each Worker.
    workers: NAMES.map((name) => ({
      ...fromConfig,
      name,
      modules: true,
      scriptPath,
      bindings: { ...fromConfig.bindings, ...secrets, LOG_LEVEL: "warn" },
    })),
  }),
);

try {
  await mf.ready;
  await applyD1Migrations(mf);
  // Miniflare types the Worker's fetch with workerd's Request types; the bench uses Node's, which it accepts.
  type Worker = { fetch(url: string, init?: RequestInit): Promise<Response> };
  const workers = [await mf.getWorker(NAMES[0]), await mf.getWorker(NAMES[1])] as unknown as Worker[];
  const status = (i: number, auth: string) =>
    workers[i]!.fetch("http://holdfast.test/v1/skus?limit=1", { headers: { authorization: auth } }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });

  const worst: number[] = [];
  for (let trial = 1; trial <= TRIALS; trial++) {
    const created = await workers[0]!.fetch("http://holdfast.test/v1/api-keys", {
      method: "POST",
      headers: { authorization: ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ name: "revocation bench", role: "viewer" }),
    });
    const key = (await created.json()) as { keyId: string; secret: string };
    const auth = `Bearer ${key.secret}`;
    for (const end = Date.now() + WARM_MS; Date.now() < end; await sleep(100)) {
      const statuses = await Promise.all(NAMES.map((_, i) => status(i, auth)));
      if (statuses.some((s) => s !== 200)) throw new Error(`a fresh key was refused: ${statuses}`);
    }
    const revoked = await workers[0]!.fetch(`http://holdfast.test/v1/api-keys/${key.keyId}`, {
      method: "DELETE",
      headers: { authorization: ADMIN },
    });
    await revoked.arrayBuffer();
    if (revoked.status !== 200) throw new Error(`revocation answered ${revoked.status}`);
    const t0 = performance.now();
    const times = await Promise.all(
      NAMES.map(async (_, i) => {
        while (performance.now() - t0 < GIVE_UP_MS) {
          if ((await status(i, auth)) === 401) return Math.round(performance.now() - t0);
          await sleep(POLL_MS);
        }
        throw new Error(`${NAMES[i]} still accepted the revoked key after ${GIVE_UP_MS} ms`);
      }),
    );
    worst.push(Math.max(...times));
    console.log(
      `trial ${trial}: refused after ${times.map((t, i) => `${t} ms in ${NAMES[i]}${i === 0 ? " (revoked there)" : ""}`).join(", ")}`,
    );
  }
  console.log(
    `revocation_refused_everywhere_ms max=${Math.max(...worst)} over ${TRIALS} trials (bound: KEY_CACHE_TTL_MS 2000 + one D1 read)`,
  );
} finally {
  await mf.dispose();
}
