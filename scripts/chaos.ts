/**
 * `npm run chaos`: the crash test. Starts the local runtime (wrangler dev,
 * workerd) on a snapshot of the Worker with its state in a fresh temp dir,
 * runs concurrent shoppers and a merchant against it, SIGKILLs the runtime at
 * seeded moments and restarts it on the same state, retries every unknown
 * outcome with its Idempotency-Key, then audits what the service holds
 * against what its clients were told. Prints the figures, then one JSON line;
 * exits 1 if any invariant figure is not 0 (or the audit chains not ok).
 *
 *   npm run chaos -- --seed 1234 --kills 6 --seconds 120
 *
 * Runs on the Node 24 that the `node` devDependency puts first on npm's PATH.
 */
import { randomInt } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv } from "node:util";
import { Api } from "./dev/api.ts";
import { shopperToken } from "./dev/banner.ts";
import { readDevSecrets } from "./dev/vars.ts";
import { audit, type AuditResult } from "./chaos/audit.ts";
import { Client, ClientStats } from "./chaos/client.ts";
import { Ledger } from "./chaos/ledger.ts";
import { merchant, setUp, shopper } from "./chaos/load.ts";
import { HelpRequested, parseOptions, USAGE, type ChaosOptions } from "./chaos/options.ts";
import { killSchedule } from "./chaos/random.ts";
import { failures, render, type RunSummary } from "./chaos/report.ts";
import { Runtime, sleep } from "./chaos/runtime.ts";
import { resolveUnresolved, settle, listOrders } from "./chaos/settle.ts";
import { threeDSecure } from "./chaos/money.ts";
import { moneyAudit } from "./chaos/money-audit.ts";
import { FakeStripeServer } from "./chaos/stripe-server.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
/** The whole run stops itself after this long, whatever happens. */
const HARD_LIMIT_MS = 15 * 60_000;
/** The load phase's wall time may exceed its up-time by this much per kill (a slow restart). */
const MAX_RESTART_MS = 60_000;

const log = (line: string) => console.log(`[chaos] ${line}`);

const opts: ChaosOptions = (() => {
  try {
    return parseOptions(process.argv.slice(2), () => randomInt(0, 2 ** 31));
  } catch (err) {
    if (err instanceof HelpRequested) {
      console.log(USAGE);
      process.exit(0);
    }
    console.error(`[chaos] ${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exit(2);
  }
})();

const replay = `npm run chaos -- --seed ${opts.seed} --kills ${opts.kills} --seconds ${opts.seconds} --shoppers ${opts.shoppers}${opts.ref ? ` --ref ${opts.ref}` : ""}`;
const dir = mkdtempSync(path.join(os.tmpdir(), "holdfast-chaos-"));
// Payments go through a fault-injecting fake Stripe in this process (it outlives the runtime's kills).
const stripe = new FakeStripeServer(opts.seed);
const runtime = new Runtime({
  root: ROOT,
  dir,
  ref: opts.ref,
  log,
  vars: { STRIPE_SECRET_KEY: "sk_test_chaos", STRIPE_API_BASE: await stripe.start() },
});
const stats = new ClientStats();
const client = new Client(runtime, stats);
const ledger = new Ledger();
const kills: Array<{ atMs: number; restartMs: number }> = [];
const t0 = Date.now();

// Whatever ends this process ends the runtime too.
process.on("exit", () => {
  runtime.stopSync();
  stripe.stop();
});
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(sig, () => {
    client.aborted = true;
    runtime.stopSync();
    if (opts.keep) log(`${sig}: stopped; state kept in ${dir}`);
    else {
      log(`${sig}: stopped`);
      rmSync(dir, { recursive: true, force: true });
    }
    process.exit(130);
  });
}
// `npm run chaos` runs us through `sh -c`; if that shell dies without passing a signal on, we are
// re-parented: stop then too rather than keep a runtime going for nobody.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid === parent) return;
  client.aborted = true;
  runtime.stopSync();
  process.exit(129);
}, 500).unref();
setTimeout(() => {
  log(`still running after ${HARD_LIMIT_MS / 60_000} minutes: giving up; state kept in ${dir}`);
  runtime.stopSync();
  stripe.stop();
  process.exit(1);
}, HARD_LIMIT_MS).unref();

log(`seed ${opts.seed}; replay with: ${replay}`);
log(`temp dir ${dir} (snapshot of ${opts.ref ?? "the working tree"}, persisted state, wrangler.log)`);

let result: AuditResult;
let summary: RunSummary;
try {
  await runtime.prepare();
  await runtime.start();
  log(`runtime up at ${runtime.origin} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const secrets = readDevSecrets(runtime.appDir, undefined);
  const admin = secrets.ADMIN_TOKEN;
  const { STRIPE_WEBHOOK_SECRET } = parseEnv(readFileSync(path.join(runtime.appDir, ".dev.vars"), "utf8"));
  stripe.deliverTo(runtime.origin, STRIPE_WEBHOOK_SECRET ?? "");
  await setUp(new Api(runtime.origin), admin, ledger, Date.now());
  const tokens = await Promise.all(
    Array.from(
      { length: opts.shoppers },
      async (_, i) => (await shopperToken(secrets.SHOPPER_JWT_SECRET, `chaos-shopper-${i}`, Date.now())).token,
    ),
  );

  // The load lasts `seconds` of the runtime's up-time: restarts add to the wall time, not to the load.
  const loadMs = opts.seconds * 1000;
  const schedule = killSchedule(opts.seed, opts.kills, loadMs);
  const loadStart = Date.now();
  const upAtStart = runtime.upTimeMs();
  const loadUp = () => runtime.upTimeMs() - upAtStart;
  const wallLimit = loadStart + loadMs + opts.kills * MAX_RESTART_MS;
  const actor = { client, ledger, loading: () => loadUp() < loadMs && Date.now() < wallLimit };
  log(
    `load: ${opts.shoppers} shoppers + merchant for ${opts.seconds} s of up-time; kills at up-time ${schedule.map((ms) => `+${(ms / 1000).toFixed(1)}s`).join(", ") || "none"}`,
  );
  const progress = setInterval(() => {
    const ops = Object.values(ledger.ops).reduce((n, o) => n + Object.values(o).reduce((a, b) => a + b, 0), 0);
    log(
      `+${((Date.now() - loadStart) / 1000).toFixed(0)}s (up-time ${(loadUp() / 1000).toFixed(0)}s): ${ops} operations, ${stats.requests} requests, ${kills.length} kills, runtime ${runtime.isUp ? "up" : "down"}`,
    );
  }, 15_000);
  const killer = async () => {
    for (const offset of schedule) {
      while (loadUp() < offset && actor.loading() && !client.aborted) await sleep(Math.min(250, Math.max(10, offset - loadUp())));
      if (!actor.loading() || client.aborted) break;
      const atMs = Date.now();
      log(`SIGKILL #${kills.length + 1} at up-time +${(loadUp() / 1000).toFixed(1)}s (wall +${((atMs - loadStart) / 1000).toFixed(1)}s)`);
      const restartMs = await restart();
      kills.push({ atMs, restartMs });
      log(`runtime back after ${(restartMs / 1000).toFixed(1)} s`);
    }
  };
  // 3-D Secure answers (and the pay-again stories) go on through the settle period, until the audit.
  let answering = true;
  const tokenOf = new Map(tokens.map((token, i) => [`chaos-shopper-${i}`, token]));
  const secure = threeDSecure(actor, opts.seed, stripe, tokenOf, () => answering && !client.aborted);
  await Promise.all([killer(), merchant(actor, opts.seed, admin), ...tokens.map((token, i) => shopper(actor, opts.seed, i, token))]);
  clearInterval(progress);
  log(`load done after ${((Date.now() - loadStart) / 1000).toFixed(1)} s; settling (at most ${opts.settleSeconds} s)`);

  await runtime.whenUp(180_000);
  const resolved = await resolveUnresolved(client, ledger);
  const lastKillMs = kills.at(-1)?.atMs ?? 0;
  const settled = await settle(client, admin, lastKillMs, opts.settleSeconds * 1000, log);
  for (let i = 0; i < 60 && stripe.undelivered() > 0; i++) await sleep(500);
  answering = false;
  const secured = await secure;
  // The last pay-again stories started payments of their own: let those settle too.
  if (secured.payAgain > 0) await settle(client, admin, lastKillMs, 30_000, log);
  for (let i = 0; i < 60 && stripe.undelivered() > 0; i++) await sleep(500);
  log(`auditing ${ledger.holds.size} acknowledged holds, ${ledger.orders.size} orders`);
  result = await audit({ client, ledger, admin, lastKillMs });
  // Money: the fake Stripe's ledger against the orders, then once more after a reconciliation run.
  const money = moneyAudit((await listOrders(client, admin)) ?? [], stripe);
  const reconciled = await client.send({ method: "POST", path: "/v1/payments/reconciliation", token: admin }, { attempts: 6, ms: 60_000 });
  for (let i = 0; i < 60 && stripe.undelivered() > 0; i++) await sleep(500);
  const after = moneyAudit((await listOrders(client, admin)) ?? [], stripe);
  result = {
    invariants: { ...result.invariants, ...money.invariants },
    examples: { ...result.examples, ...money.examples },
    info: {
      ...result.info,
      threeDSecure: secured,
      money: money.info,
      reconciliation: reconciled.definite ? { status: reconciled.answer.status, drift: reconciled.answer.body?.drift } : "no answer",
      moneyAfterReconciliation: after.invariants,
    },
  };
  summary = {
    seed: opts.seed,
    replay,
    shoppers: opts.shoppers,
    loadSeconds: opts.seconds,
    durationSeconds: (Date.now() - t0) / 1000,
    kills: kills.map((k) => ({ atSeconds: (k.atMs - loadStart) / 1000, restartSeconds: k.restartMs / 1000 })),
    unexpectedExits: runtime.unexpectedExits,
    requests: stats.requests,
    unknownOutcomes: stats.unknown,
    rateLimited: stats.rateLimited,
    retriedOperations: ledger.retriedOps,
    replayed: ledger.replayed,
    operations: ledger.ops,
    settle: {
      waitedSeconds: settled.waitedMs / 1000,
      waitingAtStart: settled.waitingAtStart,
      drained: settled.drained,
      resolvedAtAudit: resolved.resolved,
    },
  };
} catch (err) {
  client.aborted = true;
  console.error(`[chaos] run failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  console.error(`[chaos] state and wrangler.log kept in ${dir}`);
  console.log(JSON.stringify({ chaos: "holdfast", seed: opts.seed, replay, ok: false, error: String(err), kills: kills.length }));
  runtime.stopSync();
  stripe.stop();
  process.exit(1);
}

runtime.stopSync();
stripe.stop();
const failed = failures(result.invariants);
console.log(render(summary, result));
if (failed.length === 0 && !opts.keep) rmSync(dir, { recursive: true, force: true });
else log(`state, snapshot and wrangler.log kept in ${dir}`);
console.log(
  JSON.stringify({
    chaos: "holdfast",
    ok: failed.length === 0,
    failed,
    ...summary,
    invariants: result.invariants,
    info: result.info,
  }),
);
process.exit(failed.length === 0 ? 0 : 1);

/** Kill and restart; one more start if the first restart does not come up. */
async function restart(): Promise<number> {
  const t = Date.now();
  try {
    await runtime.restart();
  } catch (err) {
    log(`restart failed (${err instanceof Error ? err.message : String(err)}); trying once more`);
    await runtime.kill();
    await runtime.start();
  }
  return Date.now() - t;
}
