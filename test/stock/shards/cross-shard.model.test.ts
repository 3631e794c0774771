import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import type { Outcome } from "../../../src/domain/problems";
import type { SaleRule } from "../../../src/domain/types";
import { customerStub, holdStub, objectName, placeOfHold, POOL, shardOf } from "../../../src/stock/addressing";
import type { ShardPart } from "../../../src/stock/shards/parts";
import type { SkuObject } from "../../../src/objects/sku-object";
import { reserveFor } from "../../../src/stock/shards/hold-routing";
import { ADMIN, call, sleep, unique } from "../../support/helpers";
import { CUSTOMERS, live, MAX_MODEL_SHARDS, ShardModel, shardOp, type ModelHold, type ShardOp } from "../../support/shard-model";

/**
 * Model-based test of stock shards (spec §8, issue 8 item 6): random
 * sequences of hold, release, expire, checkout, commit, void, return, change
 * of a hold's quantity, restock,
 * shrink, change of `shards`, transfers cut short by a crash between their
 * phases, re-delivery by the alarms and restarts of one object, run against a
 * real sharded SKU (a pool and its shard objects) and against ShardModel.
 * After every step: the audit across every object passes, the whole SKU's
 * levels match the model (received == onHand + sold, 0 <= reserved <= onHand),
 * each object holds exactly the model's holds that name it, and every hold's
 * verdict is the model's. A hold or shrinkage is refused for stock only when
 * the model has no units for it beyond those in flight between objects; a
 * refusal that only the sold-out bound (SHARD_SOLD_OUT_BOUND_MS) excuses must
 * turn into a grant once the bound has passed, and only units that came back
 * (a release, an expiry, a void, a return, a restock) less than the bound ago
 * excuse one: a refusal with units free elsewhere for longer fails the run.
 * Bursts of concurrent holds from the run's few customers (the same customer
 * may ask twice in a burst, and comes back across bursts) run through the
 * Worker's routing while the merchant changes the shard count, shrinks or
 * restocks, or an object restarts; after every step each customer's units
 * over every object of the SKU (the cross-shard per-customer audit) match the
 * model and stay within the sale's limit. Each run ends by re-delivering
 * every transfer and holding every unit left, a few at a time by new
 * customers: no unit is stranded on any object.
 *
 * Replay: MODEL_SEED=<seed> (shared with test/stock/ledger.model.test.ts) generates
 * the same runs again. Timing (alarms the runtime fires on its own, the
 * sold-out bound) is real, so a replay is the same sequence, not always the
 * same schedule.
 */
const SEED = Number(inject("modelSeed")) || Date.now() % 2_147_483_647;
const RUNS = 20;
/** SHARD_SOLD_OUT_BOUND_MS (250) and a margin: a refusal it excuses must be gone after this long. */
const BOUND_WAIT_MS = 350;
const SALE = { limit: 4, maxPerOrder: 3 };

type Stub = DurableObjectStub<SkuObject>;

interface Run {
  sku: string;
  model: ShardModel;
  /** Units in flight at the last check: only the alarms change it between steps, and only downward. */
  inFlight: number;
  trace: string[];
  /** Refusals the sold-out bound excused (each cost one BOUND_WAIT_MS). */
  boundWaits: number;
  /** When units last came back to the SKU (only a refusal within the bound after it is excused). */
  freedAtMs: number;
}

let totalBoundWaits = 0;
let totalSteps = 0;

describe("stock shards against a model", () => {
  it(`keeps the cross-shard invariants on every step (seed ${SEED}; replay with MODEL_SEED=${SEED})`, { timeout: 300_000 }, async () => {
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.integer({ min: 2, max: MAX_MODEL_SHARDS }),
        fc.integer({ min: 0, max: 16 }),
        fc.array(shardOp, { minLength: 5, maxLength: 40, size: "max" }),
        async (withSale, shards, stock, ops) => {
          await runOnce(withSale, shards, stock, ops);
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    if (inject("testVerbose"))
      console.log(
        `sharded model: ${RUNS} runs, ${totalSteps} steps, ${totalBoundWaits} refusals excused by the sold-out bound, ${Date.now() - started} ms`,
      );
  });
});

async function runOnce(withSale: boolean, shards: number, stock: number, ops: ShardOp[]): Promise<void> {
  const run: Run = {
    sku: unique("shm"),
    model: new ShardModel(stock, shards, withSale ? SALE : null),
    inFlight: 0,
    trace: [],
    boundWaits: 0,
    freedAtMs: 0,
  };
  const setup = `setup: sale ${withSale}, shards ${shards}, stock ${stock}`;
  run.trace.push(setup);
  expect((await putSku(run, shards, 201)).shards).toBe(shards);
  if (withSale) expect(await pool(run).applySaleRule(saleRule())).toEqual({ applied: true });
  if (stock > 0) expect((await pool(run).adjust({ delta: stock, reason: "restock" }, null)).ok).toBe(true);
  await check(run, setup);
  for (const [step, op] of ops.entries()) {
    run.trace.push(`${step}: ${JSON.stringify(op)}`);
    const context = `${run.sku} step ${step} ${JSON.stringify(op)}\n${run.trace.join("\n")}`;
    // Any step but a hold may give units back (a release, a void, an expiry, a return, a restock, a crash's re-delivery).
    if (op.kind !== "hold") run.freedAtMs = Date.now();
    await apply(run, op, context);
    if (op.kind !== "hold") run.freedAtMs = Date.now();
    await check(run, context);
    totalSteps += 1;
  }
  await settle(run);
  totalBoundWaits += run.boundWaits;
}

function saleRule(): SaleRule {
  const now = Date.now();
  return {
    saleId: "sale-model",
    revision: 1,
    name: "Model sale",
    startsAtMs: now - 60_000,
    endsAtMs: now + 86_400_000,
    price: { amount: 800, currency: "usd" },
    perCustomerLimit: SALE.limit,
    maxPerOrder: SALE.maxPerOrder,
    holdSeconds: null,
    holdsPerMinute: null,
    paymentSeconds: null,
  };
}

function pool(run: Run): Stub {
  return env.SKU.getByName(run.sku);
}

function shardStub(run: Run, shard: number): Stub {
  return env.SKU.getByName(objectName(run.sku, shard));
}

/** The pool and every shard that ever existed, with the shard index each part reports. */
function objects(run: Run): Array<{ shard: number | null; stub: Stub }> {
  return [{ shard: null, stub: pool(run) }, ...Array.from({ length: run.model.span }, (_, i) => ({ shard: i, stub: shardStub(run, i) }))];
}

async function putSku(run: Run, shards: number, status: 200 | 201): Promise<{ shards: number }> {
  const res = await call(`/v1/skus/${run.sku}`, {
    method: "PUT",
    auth: ADMIN,
    body: { name: `Model ${run.sku}`, price: { amount: 1000, currency: "usd" }, alwaysOn: run.model.sale === null, shards },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

async function apply(run: Run, op: ShardOp, context: string): Promise<void> {
  const { model } = run;
  switch (op.kind) {
    case "hold":
      return hold(run, `c${op.customer}`, op.quantity, context);
    case "release":
    case "checkout":
    case "commit":
    case "void":
    case "return": {
      const h = model.pick(op.pick);
      if (!h) return;
      const orderId = `ord-${run.sku}-${op.pick % 2}`;
      const stub = holdStub(env, h.id);
      const actual =
        op.kind === "release"
          ? await stub.release(h.id, "merchant")
          : op.kind === "checkout"
            ? await stub.beginCheckout(h.id, orderId, { customerId: h.customer })
            : op.kind === "commit"
              ? await stub.commit(h.id, orderId)
              : op.kind === "void"
                ? await stub.voidCheckout(h.id, orderId)
                : await stub.returnHold(h.id, orderId);
      expect(verdict(actual), context).toBe(model.transition(op.kind, h, orderId));
      return;
    }
    case "change":
      return change(run, op, context);
    case "expire": {
      const h = model.pick(op.pick);
      if (!h || !live(h)) return;
      return expire(run, h, context);
    }
    case "restock": {
      const res = await pool(run).adjust({ delta: op.units, reason: "restock" }, null);
      expect(verdict(res), context).toBe("ok");
      model.adjust(op.units);
      return;
    }
    case "shrink": {
      // Refused only when the units are truly held: units in flight may be counted either way.
      const res = await pool(run).adjust({ delta: -op.units, reason: "shrinkage" }, null);
      const holdable = model.free - run.inFlight;
      const allowed = holdable >= op.units ? ["ok"] : model.free < op.units ? ["insufficient_stock"] : ["ok", "insufficient_stock"];
      expect(
        allowed,
        `${context}\nshrink ${op.units} answered ${JSON.stringify(res)} with ${model.free} free, ${run.inFlight} in flight`,
      ).toContain(verdict(res));
      if (res.ok) model.adjust(-op.units);
      return;
    }
    case "shards": {
      expect((await putSku(run, op.shards, 200)).shards, context).toBe(op.shards);
      model.setShards(op.shards);
      return;
    }
    case "crash":
      return crash(run, op);
    case "redeliver":
      return redeliver(run, context);
    case "restart": {
      const all = objects(run);
      await evict(all[op.object % all.length]!.stub);
      return;
    }
    case "burst":
      return burst(run, op, context);
  }
}

/**
 * Concurrent holds from distinct customers, routed as the Worker routes them
 * (reserveFor follows an object's word on the shard count), while the
 * merchant acts. Each grant must respect the sale's limit and land where the
 * customer's shard is under the old count or the new one; a refusal for
 * stock must still hold once the burst is over and the sold-out bound has
 * passed, so each is tried again, alone, as a plain hold step.
 */
async function burst(run: Run, op: Extract<ShardOp, { kind: "burst" }>, context: string): Promise<void> {
  const { model } = run;
  const before = model.shards;
  const requests = op.requests.map((r) => ({ customer: `c${r.customer}`, quantity: r.quantity }));
  const all = objects(run);
  const merchant = async (): Promise<string> => {
    switch (op.during) {
      case "nothing":
        return "ok";
      case "shards":
        return String((await putSku(run, op.arg, 200)).shards);
      case "shrink":
        return verdict(await pool(run).adjust({ delta: -op.arg, reason: "shrinkage" }, null));
      case "restock":
        return verdict(await pool(run).adjust({ delta: op.arg, reason: "restock" }, null));
      case "restart":
        await evict(all[op.arg % all.length]!.stub);
        return "ok";
    }
  };
  const [side, ...outcomes] = await Promise.all([
    merchant(),
    ...requests.map((r) => reserveFor(env, run.sku, { customerId: r.customer, quantity: r.quantity }, null)),
  ]);
  const facts = `${context}\nburst ${JSON.stringify(requests)} with ${op.during} ${op.arg} (${side}) answered ${JSON.stringify(outcomes)}`;
  // The merchant's side gives units back mid-burst (a draining shard, a restart's re-delivery, a restock):
  // the sold-out bound runs from when it ended, not from the burst's start (under load the two are far apart).
  run.freedAtMs = Date.now();
  if (op.during === "shards") model.setShards(op.arg);
  if (op.during === "restock") model.adjust(op.arg);
  if (op.during === "shrink") {
    expect(["ok", "insufficient_stock"], facts).toContain(side);
    if (side === "ok") model.adjust(-op.arg);
  }
  const retry: Array<{ customer: string; quantity: number }> = [];
  // Grants first: a refusal for the limit is right if the customer's units after the burst leave no room for it.
  for (const [i, outcome] of outcomes.entries()) {
    const { customer, quantity } = requests[i]!;
    const kind = kindOf(outcome as Outcome<unknown>);
    // A transient 503 (the count changed under the hold) is a retryable answer, never a grant or a verdict.
    expect(["ok", "stock", "limit_exceeded", "unavailable"], facts).toContain(kind);
    if (!outcome!.ok) continue;
    const h = outcome!.value;
    const place = placeOfHold(h.holdId);
    const homes = [before, model.shards].map((n) => (n <= 1 ? null : shardOf(customer, n)));
    expect(place?.sku, facts).toBe(run.sku);
    expect(homes, `${facts}\n${h.holdId} for ${customer}`).toContain(place?.shard);
    model.addHold({ id: h.holdId, customer, quantity, status: "held", orderId: null, shard: place!.shard });
    if (model.sale) expect(model.usage(customer), `${facts}\n${customer} is over the sale's limit`).toBeLessThanOrEqual(model.sale.limit);
  }
  for (const [i, outcome] of outcomes.entries()) {
    const { customer, quantity } = requests[i]!;
    const kind = kindOf(outcome as Outcome<unknown>);
    const overLimit = model.overLimit(customer, quantity);
    if (kind === "limit_exceeded") expect(overLimit, `${facts}\n${customer} is not over the sale's limit`).toBe(true);
    if ((kind === "stock" && !overLimit) || kind === "unavailable") retry.push(requests[i]!);
  }
  if (retry.length === 0) return;
  await check(run, facts);
  for (const r of retry) await hold(run, r.customer, r.quantity, `${facts}\nretried alone: ${r.customer} ${r.quantity}`);
}

/**
 * A hold goes to the customer's object. A refusal for stock is right only when
 * the model has no units for it beyond those in flight; one the sold-out bound
 * excuses (units came back to the SKU less than the bound ago) must become
 * a grant once the bound has passed.
 */
async function hold(run: Run, customer: string, quantity: number, context: string): Promise<void> {
  const { model } = run;
  const expected = model.expectHold(customer, quantity, run.inFlight);
  const allowed = [expected.strict, ...expected.alsoAllowed];
  const reserve = () => customerStub(env, run.sku, customer, model.shards).reserve({ customerId: customer, quantity }, null);
  let outcome = await reserve();
  // Only units that came back less than the bound ago excuse a refusal for stock; then it must turn into a grant.
  if (kindOf(outcome) === "stock" && !allowed.includes("stock") && Date.now() - run.freedAtMs < BOUND_WAIT_MS) {
    run.boundWaits += 1;
    await sleep(BOUND_WAIT_MS);
    const first = outcome;
    outcome = await reserve();
    context += `\n(first answer ${JSON.stringify(first)}, retried after the sold-out bound)`;
  }
  const facts = `${context}\nhold ${quantity} for ${customer} answered ${JSON.stringify(outcome)}; model: ${model.free} free, ${run.inFlight} in flight, usage ${model.usage(customer)}, shards ${model.shards}`;
  expect(allowed, facts).toContain(kindOf(outcome));
  if (!outcome.ok) {
    // Nothing left anywhere, in flight or not: the SKU says it is sold out.
    if (model.free <= 0) expect((outcome as { code: string }).code, facts).toBe("sold_out");
    return;
  }
  const h = outcome.value;
  const place = placeOfHold(h.holdId);
  const shard = model.shards <= 1 ? null : shardOf(customer, model.shards);
  expect({ place, customer: h.customerId, quantity: h.quantity, status: h.status }, facts).toEqual({
    place: { sku: run.sku, shard },
    customer,
    quantity,
    status: "held",
  });
  model.addHold({ id: h.holdId, customer, quantity, status: "held", orderId: null, shard });
}

/**
 * The owner changes a hold's quantity on the object that owns it (spec §3).
 * A release or a decrease is a plain transition; an increase is judged as a
 * hold of the units added, and a refusal for stock that only the sold-out
 * bound excuses must become a grant once the bound has passed.
 */
async function change(run: Run, op: Extract<ShardOp, { kind: "change" }>, context: string): Promise<void> {
  const { model } = run;
  const h = model.pick(op.pick);
  if (!h) return;
  const ask = () => holdStub(env, h.id).changeHold(h.id, { customerId: h.customer, quantity: op.quantity }, null);
  const expected = model.expectIncrease(h, op.quantity, run.inFlight);
  const settled = model.change(h, op.quantity);
  if (settled !== null) {
    expect(verdict(await ask()), context).toBe(settled);
    return;
  }
  const allowed = [expected.strict, ...expected.alsoAllowed];
  let outcome = await ask();
  if (kindOf(outcome) === "stock" && !allowed.includes("stock") && Date.now() - run.freedAtMs < BOUND_WAIT_MS) {
    run.boundWaits += 1;
    await sleep(BOUND_WAIT_MS);
    context += `\n(first answer ${JSON.stringify(outcome)}, retried after the sold-out bound)`;
    outcome = await ask();
  }
  const facts = `${context}\nchange of ${h.id} (${h.quantity} for ${h.customer} on ${h.shard ?? "pool"}) to ${op.quantity} answered ${JSON.stringify(outcome)}; model: ${model.free} free, ${run.inFlight} in flight, usage ${model.usage(h.customer)}, shards ${model.shards}`;
  expect(allowed, facts).toContain(kindOf(outcome));
  if (!outcome.ok) return;
  expect({ quantity: outcome.value.quantity, status: outcome.value.status }, facts).toEqual({ quantity: op.quantity, status: "held" });
  h.quantity = op.quantity;
}

/** Moves the hold's deadline into the past on the object that owns it, then runs that object's alarm. */
async function expire(run: Run, h: ModelHold, context: string): Promise<void> {
  const stub = holdStub(env, h.id);
  await runInDurableObject(stub, (o: SkuObject) => o.ledger.tables.moveDeadline(h.id, Date.now() - 1_000));
  // A live hold keeps the alarm armed; if it already fired meanwhile, a read settles the deadline.
  if (!(await runDurableObjectAlarm(stub))) await stub.getHold(h.id, "merchant");
  const status = await runInDurableObject(
    stub,
    (_o: SkuObject, state) => state.storage.sql.exec<{ status: string }>("SELECT status FROM holds WHERE hold_id = ?", h.id).one().status,
  );
  expect(status, `${context}\n${run.sku}: hold ${h.id} after its deadline passed`).toBe("expired");
  run.model.expire(h);
}

/**
 * A transfer between the pool and a shard, cut short: the sender debits (a
 * refill's grant, or a recall's surrender of all the shard's free units), and
 * then the receiver never credits (`lost`), credits without the sender
 * posting (`unposted`), or gets it twice (`twice`). `evict` restarts the
 * sender or the receiver right after the debit. The alarms must finish it.
 */
async function crash(run: Run, op: Extract<ShardOp, { kind: "crash" }>): Promise<void> {
  const i = op.object % run.model.span;
  const [sender, receiver] = op.from === "pool" ? [pool(run), shardStub(run, i)] : [shardStub(run, i), pool(run)];
  const sent = op.from === "pool" ? await pool(run).grant(i, op.units) : ((await shardStub(run, i).surrender()).transfers[0] ?? null);
  // "later": the pool had nothing and a sibling kept units it is selling; nothing was sent.
  const t = sent === "later" ? null : sent;
  if (op.evict === "sender") await evict(sender);
  if (op.evict === "receiver") await evict(receiver);
  if (!t) return;
  const delivered = { transferId: t.transferId, peer: op.from === "pool" ? POOL : i, units: t.units };
  if (op.cut === "lost") return;
  await receiver.receiveTransfer(delivered);
  if (op.cut === "unposted") return;
  await receiver.receiveTransfer(delivered);
  await sender.postTransfer(t.transferId);
  await sender.postTransfer(t.transferId);
}

/** Ages every pending transfer past the re-delivery delay and runs every object's alarm: nothing stays in flight. */
async function redeliver(run: Run, context: string): Promise<void> {
  const all = objects(run);
  const pendingBefore = await Promise.all(
    all.map(({ stub }) =>
      runInDurableObject(stub, (_o: SkuObject, state) => {
        state.storage.sql.exec("UPDATE transfers SET created_at_ms = created_at_ms - 3000 WHERE status = 'pending'");
        return state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM transfers WHERE status = 'pending'").one().n;
      }),
    ),
  );
  // Only a sender's alarm re-delivers: objects with nothing pending are left alone (an alarm run also ships to D1).
  await Promise.all(
    all.map(async ({ shard, stub }, k) => {
      if (pendingBefore[k] === 0) return;
      // An alarm the runtime started on its own may be running now: then there is none to run, and it finishes the job.
      let pending = pendingBefore[k]!;
      const ran: boolean[] = [];
      for (let attempt = 0; attempt < 40 && pending > 0; attempt++) {
        if (attempt > 0) await sleep(50);
        ran.push(await runDurableObjectAlarm(stub));
        pending = (await stub.part(false))?.pendingOut ?? 0;
      }
      const armed = await runInDurableObject(stub, (_o: SkuObject, state) => state.storage.getAlarm());
      const where = `${run.sku} ${shard === null ? "pool" : `shard ${shard}`}`;
      expect(
        pending,
        `${context}\n${where}: ${pendingBefore[k]} pending transfers; alarm runs ${JSON.stringify(ran)}; alarm now ${armed}`,
      ).toBe(0);
    }),
  );
  const stats = await pool(run).stats();
  expect(stats?.escrow.inFlight, `${context}\nin flight after every alarm ran`).toBe(0);
}

async function evict(stub: Stub): Promise<void> {
  // Rejects when the object is not running: then it has nothing in memory to lose.
  await evictDurableObject(stub).catch(() => undefined);
}

/**
 * Waits for the refills a hold started in the background (Escrow.refillIfLow)
 * and any recall still running, on every object, and then reads each one's
 * part. The audit reads the objects one after another, so a transfer landing
 * between two of its reads would look like a unit in flight that no pending
 * transfer covers: it runs on a SKU at rest.
 */
async function quiesce(run: Run): Promise<Array<{ shard: number | null; part: ShardPart | null }>> {
  return Promise.all(
    objects(run).map(async ({ shard, stub }) => {
      const part = await runInDurableObject(stub, async (o: SkuObject) => {
        for (let i = 0; i < 8 && o.escrow.inFlight().length > 0; i++) await Promise.allSettled(o.escrow.inFlight());
        return o.part(false);
      });
      return { shard, part };
    }),
  );
}

/** The invariants across shards (spec §2 and 8) and the model's view of every object. */
async function check(run: Run, context: string): Promise<void> {
  const { model } = run;
  const parts = await quiesce(run);
  const stats = await pool(run).stats();
  expect(stats, context).not.toBeNull();
  const s = stats!;
  expect(s.escrow.audit, context).toEqual({ ok: true, problems: [] });
  expect(s.invariantViolations, context).toBe(0);
  expect(s.escrow.shards, context).toBe(model.shards);
  const l = s.levels;
  expect(l.received, context).toBe(l.onHand + l.sold);
  expect(
    l.reserved >= 0 && l.reserved <= l.onHand && l.available === l.onHand - l.reserved,
    `${context}\nlevels ${JSON.stringify(l)}`,
  ).toBe(true);
  expect({ onHand: l.onHand, reserved: l.reserved, sold: l.sold, received: l.received, returned: l.returned }, context).toEqual({
    onHand: model.onHand,
    reserved: model.reserved,
    sold: model.sold,
    received: model.received,
    returned: model.returned,
  });
  expect(s.escrow.inFlight, context).toBeGreaterThanOrEqual(0);
  run.inFlight = s.escrow.inFlight;
  // Each object holds exactly the holds whose ids name it.
  for (const { shard, part } of parts) {
    const seen = part
      ? { reserved: part.levels.reserved, sold: part.levels.sold, liveHolds: part.liveHolds }
      : { reserved: 0, sold: 0, liveHolds: 0 };
    expect(seen, `${context}\n${shard === null ? "pool" : `shard ${shard}`}`).toEqual(model.onObject(shard));
  }
  // The cross-shard per-customer audit: each customer's units over every object, as the objects count them (a sale's, the only ones counted).
  for (let c = 0; c < CUSTOMERS; c++) {
    const counted = await Promise.all(
      objects(run).map(async ({ stub }) => Object.values((await stub.priorHere(`c${c}`, null)).usage).reduce((a, b) => a + b, 0)),
    );
    const used = counted.reduce((a, b) => a + b, 0);
    expect(used, `${context}\nc${c}'s units over every object ${JSON.stringify(counted)}`).toBe(model.sale ? model.usage(`c${c}`) : 0);
    if (model.sale) expect(used, `${context}\nc${c}'s holds and purchases`).toBeLessThanOrEqual(model.sale.limit);
  }
}

/**
 * The end of a run: every transfer re-delivered, then every unit the model
 * has free is held, one new customer at a time, and the next hold finds the
 * SKU sold out. A unit stranded on any object fails here.
 */
async function settle(run: Run): Promise<void> {
  const context = `${run.sku} settling\n${run.trace.join("\n")}`;
  await redeliver(run, context);
  await check(run, context);
  // Up to 3 units a hold (the sale's maxPerOrder), each from a new customer, so every shard takes some.
  for (let k = 0; run.model.free > 0; k++) {
    await hold(run, `last-${k}`, Math.min(3, run.model.free), `${context}\nhold ${k + 1} of the free units`);
  }
  const last = await customerStub(env, run.sku, "last-out", run.model.shards).reserve({ customerId: "last-out", quantity: 1 }, null);
  expect(verdict(last), context).toBe("sold_out");
  await check(run, context);
}

type HoldKind = "ok" | "limit_exceeded" | "stock" | string;

function kindOf(outcome: Outcome<unknown>): HoldKind {
  if (outcome.ok) return "ok";
  return outcome.code === "sold_out" || outcome.code === "insufficient_stock" ? "stock" : outcome.code;
}

/** The part of an outcome the model predicts: ok with the hold's status, or the refusal code. */
function verdict(outcome: Outcome<unknown>): string {
  if (!outcome.ok) return outcome.code;
  const status = (outcome.value as { status?: string }).status;
  return status === undefined ? "ok" : `ok:${status}`;
}
