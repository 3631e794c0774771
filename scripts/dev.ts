/**
 * `npm run dev`: the API reference page, local secrets, local D1 migrations,
 * `wrangler dev` with every extra argument, then a demo seed once the server
 * is healthy and a banner with the console, the storefront and the API docs.
 * Setup steps say one line each unless they fail (then their whole output).
 *
 *   npm run dev -- --port 8790 --ip 127.0.0.1
 *
 * Runs on the Node 24 that the `node` devDependency puts first on npm's PATH
 * (type stripping runs this file as is; wrangler needs Node 22+).
 */
import { connect } from "node:net";
import path from "node:path";
import { Api } from "./dev/api.ts";
import { parseDevArgs } from "./dev/args.ts";
import { banner, DEMO_SHOPPER, shopperToken } from "./dev/banner.ts";
import { exitCodeOf, interrupted, runQuiet, start, stopWhenOrphaned } from "./dev/child.ts";
import { StartupOutput } from "./dev/output.ts";
import { seedDemo } from "./dev/seed.ts";
import { ensureDevVars, readDevSecrets } from "./dev/vars.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const WRANGLER = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
/** The first start bundles the Worker and boots workerd; allow a slow machine. */
const READY_TIMEOUT_MS = 120_000;

const argv = process.argv.slice(2);
const dev = (() => {
  try {
    return parseDevArgs(argv);
  } catch (err) {
    console.error(`[dev] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
})();
stopWhenOrphaned();

await buildApiDocs();
if (dev.local) {
  ensureDevVars(ROOT);
  if (await inUse(dev.probe.host, dev.probe.port)) {
    // wrangler would quietly move to another port and the seed would talk to whatever holds this one.
    console.error(`[dev] ${dev.origin} is already in use. Stop that server or pick another port: npm run dev -- --port 8790`);
    process.exit(1);
  }
  await migrate(dev.shared);
}

if (interrupted.signal) process.exit(exitCodeOf({ code: null, signal: interrupted.signal }));
// Offline, wrangler's download of the Request.cf data fails with a stack trace on every start; the
// local Worker needs none of it (the tests and the chaos runtime turn it off the same way).
// Locally, wrangler's start-up output waits for the banner and comes filtered (dev/output.ts).
const output = dev.local ? new StartupOutput() : null;
const server = start(process.execPath, [WRANGLER, "dev", ...argv], {
  cwd: ROOT,
  stdio: output ? ["inherit", "pipe", "pipe"] : "inherit",
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED || "false" },
});
if (output) {
  output.follow(server.child.stdout!, process.stdout);
  output.follow(server.child.stderr!, process.stderr);
  console.log("[dev] Starting wrangler dev; its start-up output follows with the banner.");
}
if (dev.local) {
  void seedWhenReady().catch((err: unknown) => {
    // The server keeps running: a failed seed should not take the dev session down.
    output?.flushAll();
    console.error(`[dev] Demo seed failed: ${err instanceof Error ? err.message : String(err)}`);
  });
}
const exit = await server.exited;
output?.flushAll();
process.exit(exitCodeOf(exit));

/** The API reference (public/api/), built from client/openapi.json; the console and the banner link to it. */
async function buildApiDocs(): Promise<void> {
  const run = await runQuiet("npm", ["run", "-s", "docs:api"], { cwd: ROOT, env: process.env });
  if (interrupted.signal) process.exit(exitCodeOf({ code: null, signal: interrupted.signal }));
  if (run.code !== 0) {
    console.error(`${run.output}\n[dev] Building the API reference failed; see above.`);
    process.exit(exitCodeOf(run));
  }
  console.log("[dev] API reference built: public/api/index.html");
}

/**
 * Applies pending migrations to the local D1 that `wrangler dev` will use,
 * saying how many (wrangler prints a table per migration: about 250 lines on
 * a first run). CI=true and a closed stdin make wrangler take its
 * non-interactive default ("yes") instead of asking to confirm.
 */
async function migrate(shared: string[]): Promise<void> {
  const run = await runQuiet(process.execPath, [WRANGLER, "d1", "migrations", "apply", "DB", "--local", ...shared], {
    cwd: ROOT,
    env: { ...process.env, CI: "true" },
  });
  if (interrupted.signal) process.exit(exitCodeOf({ code: null, signal: interrupted.signal }));
  if (run.code !== 0) {
    console.error(`${run.output}\n[dev] Applying the local D1 migrations failed; see above.`);
    process.exit(exitCodeOf(run));
  }
  // wrangler prints a growing table after each migration, and only the output's tail is kept
  // (the "About to apply N" line scrolls out past a dozen migrations): the last table has one ✅ per migration applied.
  const table = run.output.slice(run.output.lastIndexOf("┌"));
  const applied = /No migrations to apply/.test(run.output) ? 0 : (table.match(/✅/g) ?? []).length;
  console.log(applied > 0 ? `[dev] Local D1: ${applied} migrations applied.` : "[dev] Local D1: migrations up to date.");
}

async function seedWhenReady(): Promise<void> {
  // `--local-protocol https` serves a self-signed certificate. wrangler's environment
  // was copied when it started, so only this process's calls to localhost relax TLS.
  if (dev.origin.startsWith("https:")) process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  const api = new Api(dev.origin);
  const running = () => server.child.exitCode === null && server.child.signalCode === null;
  await api.waitHealthy(running, READY_TIMEOUT_MS);
  const secrets = readDevSecrets(ROOT, dev.env);
  const now_ms = Date.now();
  const seeded = await seedDemo(api, secrets.ADMIN_TOKEN, now_ms);
  const shopper = await shopperToken(secrets.SHOPPER_JWT_SECRET, DEMO_SHOPPER, now_ms);
  output?.release();
  if (running()) console.log(banner(dev.origin, secrets.ADMIN_TOKEN, shopper, seeded));
}

/** True when something already accepts connections on host:port. */
function inUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}
