/**
 * Bench-only Worker entry. It serves the product unchanged (its fetch, its
 * queue consumers, every class it exports) and adds probes under /__bench/
 * that exist in this bundle only, never in src/:
 *
 *   POST /__bench/noop/:key            the ceiling: one RPC to a Durable Object
 *                                      method that does nothing
 *   POST /__bench/write/:key           one RPC that inserts one SQLite row: the
 *                                      least any durable write costs here
 *   POST /__bench/reserve-direct/:sku  the SKU object's `reserve` RPC called
 *                                      straight from here, skipping Hono, JWT
 *                                      verification and zod, so the object's own
 *                                      cost can be told apart from the Worker's
 *   GET  /__bench/echo                 the edge ceiling: a small JSON reply shaped
 *                                      like a public SKU view, with no object, no
 *                                      cache and none of the product's middleware
 *   GET  /__bench/cache-match/:key     the echo plus one Cache API lookup that
 *                                      hits (it stores its entry on a miss): what
 *                                      the local cache service costs per lookup
 *   POST /__bench/reserve-shard/:sku?shards=N
 *                                      `reserve` RPC on the customer's stock shard
 *                                      of a SKU split into N shards, without the
 *                                      HTTP layer: a shard's own cost per hold
 *   GET  /__bench/escrow-policy        the escrow's constants as this build has
 *                                      them, for the bench's simulation
 *   GET  /__bench/costs/:object        the SKU object's rows read and written by
 *                                      operation (its costs() RPC)
 *   GET  /__bench/meter                D1 rows and queue messages the app asked
 *                                      for so far (bench/platform-meter.ts)
 *   POST /__bench/instruments/:variant/:sku[?stock=N]
 *                                      the SKU object's `reserve` RPC on the
 *                                      product's object (`full`), one without its
 *                                      SQL meter (`unmetered`) or without the meter
 *                                      and the trace span (`bare`); with `stock`,
 *                                      creates the SKU there with N units instead
 *   POST /__bench/instruments-loop/:kind?n=N&execs=E
 *                                      N stand-in holds of E statements, bare, in
 *                                      the SQL meter or in a trace span: the
 *                                      instruments' own CPU (bench/instruments-loop.ts)
 *   POST /__bench/transfer/:sku/:shard one refill and one give-back, through the
 *                                      escrow's own RPCs (grant, receiveTransfer,
 *                                      postTransfer; surrender, receiveTransfer,
 *                                      postTransfer): what moving units costs
 *
 * Type-checked with bench/tsconfig.worker.json (Workers types), not with
 * tsconfig.node.json, which excludes this file.
 */
import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";
import product from "../src/worker.ts";
import { customerStub, objectName, POOL } from "../src/stock/addressing.ts";
import { ESCROW, laterMs, paceWindowMs, soldOutBoundMs } from "../src/stock/shards/escrow-policy.ts";
import { UNWATCHED_REPORT_MS } from "../src/stock/live/shard-reports.ts";

// Every named export of the product (SkuObject and whatever it adds later).
export * from "../src/worker.ts";
export { QueueScaleCoordinator, QueueScaleShard } from "./queue-scale-objects.ts";
import type { QueueScaleCoordinator, QueueScaleShard } from "./queue-scale-objects.ts";
import { joinShardName } from "../src/waiting-room/config.ts";
import { SkuObject as ProductSkuObject } from "../src/objects/sku-object.ts";
import { counts, meteredEnv } from "./platform-meter.ts";
import { instrumentsLoop, type LoopKind } from "./instruments-loop.ts";

/** The product's SKU object, handed an env whose D1 and queues are counted (it shadows the star export above). */
export class SkuObject extends ProductSkuObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env));
  }
}

/** The product's SKU object without its per-operation SQL meter (bench/instruments.ts). */
export class UnmeteredSkuObject extends ProductSkuObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env), { meter: false, trace: true });
  }
}

/** The product's SKU object without the meter and without a trace span per call (bench/instruments.ts). */
export class BareSkuObject extends ProductSkuObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, meteredEnv(env), { meter: false, trace: false });
  }
}

/** The ceiling's object: no storage, no work, just the round trip into the object. */
export class NoopObject extends DurableObject {
  noop(): void {}
}

/**
 * One small row per call, committed like any SKU mutation. Its cost over the
 * no-op is what durability alone costs (the commit and its page writes),
 * which no change to the ledger's code can remove.
 */
export class OneWriteObject extends DurableObject {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS rows (id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL)");
  }

  write(): void {
    this.ctx.storage.sql.exec("INSERT INTO rows (at_ms) VALUES (?)", Date.now());
  }
}

/**
 * Stands in for the rate-limiting bindings (bench/runtime.ts binds it in their
 * place by default). In production a limiter is a counter next to the Worker;
 * Miniflare simulates each one with a Durable Object that writes SQLite on
 * every call, which would make the bench measure the simulator. A call into
 * another entrypoint keeps the binding hop in the path and never refuses.
 */
export class AllowAllRateLimiter extends WorkerEntrypoint {
  async limit(_options: RateLimitOptions): Promise<RateLimitOutcome> {
    return { success: true };
  }
}

type BenchEnv = Env & {
  NOOP: DurableObjectNamespace<NoopObject>;
  ONE_WRITE: DurableObjectNamespace<OneWriteObject>;
  QUEUE_SCALE: DurableObjectNamespace<QueueScaleShard>;
  QUEUE_SCALE_COORD: DurableObjectNamespace<QueueScaleCoordinator>;
  UNMETERED_SKU: DurableObjectNamespace<UnmeteredSkuObject>;
  BARE_SKU: DurableObjectNamespace<BareSkuObject>;
};

/** One hold (or, with `?stock=N`, the SKU's creation with N units) on the variant's object: bench/instruments.ts. */
async function instrumented(request: Request, env: BenchEnv, variant: string, sku: string): Promise<Response> {
  const ns = variant === "unmetered" ? env.UNMETERED_SKU : variant === "bare" ? env.BARE_SKU : env.SKU;
  const stub = ns.getByName(sku);
  const stock = new URL(request.url).searchParams.get("stock");
  if (stock !== null) {
    await stub.configure(sku, { name: sku, price: { amount: 1999, currency: "usd" }, alwaysOn: true });
    return Response.json(await stub.adjust({ delta: Number(stock), reason: "received" }, null), { status: 201 });
  }
  const customerId = request.headers.get("x-bench-customer") ?? "bench";
  // A traceparent like the route's: the span it opens is part of what `bare` leaves out.
  const outcome = await stub.reserve({ customerId, quantity: 1 }, null, TRACEPARENT);
  return outcome.ok ? Response.json(outcome.value, { status: 201 }) : Response.json(outcome, { status: 409 });
}

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
const INSTRUMENTS_PATH = /^\/__bench\/instruments\/(full|unmetered|bare)\/([A-Za-z0-9._-]{1,64})$/;

/** The waiting room at scale (bench/queue-scale.ts): fill a join shard, start the sale's coordinator, run one tick. */
async function queueScale(request: Request, env: BenchEnv, op: string): Promise<Response> {
  const q = new URL(request.url).searchParams;
  const num = (k: string) => Number(q.get(k));
  const sale = q.get("sale") ?? "bench-queue";
  if (op === "fill") {
    const n = await env.QUEUE_SCALE.getByName(joinShardName(sale, num("shard"))).fill(
      `s${num("shard")}`,
      num("from"),
      num("n"),
      q.get("sku") ?? "bench-sku",
      num("start"),
    );
    return Response.json({ n });
  }
  const coord = env.QUEUE_SCALE_COORD.getByName(sale);
  if (op === "start") {
    await coord.start(await request.json());
    return Response.json({ ok: true });
  }
  return Response.json(await coord.tick(num("now"), num("available"), sale, num("shards")));
}

const NOOP_PATH = /^\/__bench\/noop\/([A-Za-z0-9._-]{1,64})$/;
const WRITE_PATH = /^\/__bench\/write\/([A-Za-z0-9._-]{1,64})$/;
const DIRECT_PATH = /^\/__bench\/reserve-direct\/([A-Za-z0-9._-]{1,64})$/;
const CACHE_MATCH_PATH = /^\/__bench\/cache-match\/([A-Za-z0-9._-]{1,64})$/;
const RESERVE_SHARD_PATH = /^\/__bench\/reserve-shard\/([A-Za-z0-9._-]{1,64})$/;
const COSTS_PATH = /^\/__bench\/costs\/([A-Za-z0-9._#-]{1,80})$/;
const TRANSFER_PATH = /^\/__bench\/transfer\/([A-Za-z0-9._-]{1,64})\/([0-9]{1,2})$/;

/** About the size of a public SKU view, so the echo's reply costs the wire what a read's does. */
const ECHO_BODY = JSON.stringify({
  sku: "bench-echo",
  name: "Bench echo",
  price: { amount: 1999, currency: "usd" },
  available: 1000,
  status: "live",
  sale: null,
});

/** The probe's own cache keys: never the product's, and long-lived, so nearly every lookup hits. */
const probeKey = (key: string) => new Request(`https://bench-probe.holdfast.internal/${key}`);

export default {
  ...product,

  queue(batch, env) {
    return product.queue(batch, meteredEnv(env));
  },

  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (!pathname.startsWith("/__bench/")) return product.fetch(request, meteredEnv(env), ctx);
    if (pathname === "/__bench/meter") return Response.json(counts);
    const costs = COSTS_PATH.exec(decodeURIComponent(pathname));
    if (costs) return Response.json(await env.SKU.getByName(costs[1]!).costs());
    const scale = /^\/__bench\/queue-scale\/(fill|start|tick)$/.exec(pathname);
    if (scale) return queueScale(request, env as BenchEnv, scale[1]!);

    if (pathname === "/__bench/echo") {
      return new Response(ECHO_BODY, { headers: { "content-type": "application/json" } });
    }

    const cacheMatch = CACHE_MATCH_PATH.exec(pathname);
    if (cacheMatch) {
      const key = probeKey(cacheMatch[1]!);
      const hit = await caches.default.match(key);
      if (hit) {
        // Streamed through like the product's cached reads (edge/cache.ts), with the same marker header.
        const headers = new Headers(hit.headers);
        headers.set("holdfast-cache", "hit");
        return new Response(hit.body, { status: hit.status, headers });
      }
      const headers = { "content-type": "application/json", "cache-control": "public, max-age=3600" };
      ctx.waitUntil(caches.default.put(key, new Response(ECHO_BODY, { headers })));
      return new Response(ECHO_BODY, { headers: { ...headers, "holdfast-cache": "miss" } });
    }

    const noop = NOOP_PATH.exec(pathname);
    if (noop) {
      await env.NOOP.getByName(noop[1]!).noop();
      // A small JSON body with the same status as a hold, so the client reads a comparable reply.
      return Response.json({ ok: true }, { status: 201 });
    }

    const write = WRITE_PATH.exec(pathname);
    if (write) {
      await env.ONE_WRITE.getByName(write[1]!).write();
      return Response.json({ ok: true }, { status: 201 });
    }

    const direct = DIRECT_PATH.exec(pathname);
    if (direct) {
      // The load generator names the shopper in a header; there is no auth on this probe.
      const customerId = request.headers.get("x-bench-customer") ?? "bench";
      const outcome = await env.SKU.getByName(direct[1]!).reserve({ customerId, quantity: 1 }, null);
      return outcome.ok ? Response.json(outcome.value, { status: 201 }) : Response.json(outcome, { status: 409 });
    }

    if (pathname === "/__bench/escrow-policy") {
      const bound = soldOutBoundMs(env);
      return Response.json({
        soldOutBoundMs: bound,
        grantUnitsMax: ESCROW.grant_units_max,
        reserveRoundsMax: ESCROW.reserve_rounds_max,
        paceWindowMs: paceWindowMs(bound),
        laterMs: laterMs(bound),
        reportIntervalMs: UNWATCHED_REPORT_MS,
      });
    }

    const onShard = RESERVE_SHARD_PATH.exec(pathname);
    if (onShard) {
      const customerId = request.headers.get("x-bench-customer") ?? "bench";
      const shards = Number(new URL(request.url).searchParams.get("shards") ?? "1");
      const outcome = await customerStub(env, onShard[1]!, customerId, shards).reserve({ customerId, quantity: 1 }, null);
      return outcome.ok ? Response.json(outcome.value, { status: 201 }) : Response.json(outcome, { status: 409 });
    }

    const loop = /^\/__bench\/instruments-loop\/(none|meter|trace)$/.exec(pathname);
    if (loop) {
      const q = new URL(request.url).searchParams;
      return Response.json(await instrumentsLoop(loop[1] as LoopKind, Number(q.get("n")), Number(q.get("execs"))));
    }
    const variant = INSTRUMENTS_PATH.exec(pathname);
    if (variant) return instrumented(request, env as BenchEnv, variant[1]!, variant[2]!);

    const transfer = TRANSFER_PATH.exec(pathname);
    if (transfer) return Response.json(await refillAndGiveBack(env, transfer[1]!, Number(transfer[2])), { status: 201 });

    return new Response("no such bench route", { status: 404 });
  },
} satisfies ExportedHandler<BenchEnv>;

/**
 * One refill of `shard` from its SKU's pool and the give-back of the shard's
 * free units, each a two-phase transfer through the RPCs the escrow itself
 * uses, so units are conserved and both audit streams record both moves. The
 * probe plays the shard's part of the refill (the shard credits a grant in its
 * own execution; here it is one more RPC). A concurrent probe on the same
 * shard may find nothing to give back; that is counted, not an error.
 */
async function refillAndGiveBack(env: Env, sku: string, shard: number): Promise<{ granted: number; returned: number }> {
  const pool = env.SKU.getByName(objectName(sku, null));
  const stub = env.SKU.getByName(objectName(sku, shard));
  const answer = await pool.grant(shard, 1);
  const out = answer === "later" ? null : answer;
  if (out) {
    await stub.receiveTransfer({ transferId: out.transferId, peer: POOL, units: out.units });
    await pool.postTransfer(out.transferId);
  }
  const {
    transfers: [back],
  } = await stub.surrender();
  if (back) {
    await pool.receiveTransfer({ transferId: back.transferId, peer: shard, units: back.units });
    await stub.postTransfer(back.transferId);
  }
  return { granted: out?.units ?? 0, returned: back?.units ?? 0 };
}
