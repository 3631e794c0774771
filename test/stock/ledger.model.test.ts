import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import type { Outcome } from "../../src/domain/problems";
import type { Levels } from "../../src/domain/types";
import type { SkuObject } from "../../src/objects/sku-object";
import { SkuModel, type Op } from "../support/sku-model";
import { unique } from "../support/helpers";

/**
 * Model-based test: random sequences of hold / release / checkout / commit /
 * return / change of quantity / adjust / time-advance / alarm run against the real ledger in a real Durable
 * Object and against SkuModel, a plain in-memory model of spec §§2-3.
 * Every step must give the same verdict, and after every step the levels must
 * match and the ledger's full audit must pass.
 */
const SEED = Number(inject("modelSeed")) || Date.now() % 2_147_483_647;
const RUNS = 150;

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("hold" as const),
      customer: fc.integer({ min: 0, max: 1 }),
      quantity: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("checkout" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("commit" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("return" as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("change" as const), pick: fc.nat(), quantity: fc.integer({ min: 0, max: 5 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("adjust" as const), delta: fc.integer({ min: -6, max: 8 }).filter((d) => d !== 0) }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 90_000 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "alarm" as const }) },
);

describe("SKU ledger against a model", () => {
  it(`agrees with the model on every step (seed ${SEED}; replay with MODEL_SEED=${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.integer({ min: 0, max: 20 }),
        fc.array(op, { minLength: 1, maxLength: 60 }),
        async (withSale, stock, ops) => {
          const stub = env.SKU.getByName(unique("model"));
          await runInDurableObject(stub, (obj: SkuObject) => {
            obj.ensureSchema();
            const ledger = obj.ledger;
            const t0 = Date.now();
            const model = new SkuModel(t0, stock, withSale ? { limit: 4, maxPerOrder: 3, holdSeconds: 60, paymentSeconds: 120 } : null);
            obj.catalog.configure("model-sku", { name: "Model", price: { amount: 100, currency: "usd" }, alwaysOn: !withSale }, t0);
            if (withSale) {
              obj.catalog.applySaleRule(
                {
                  saleId: "s",
                  revision: 1,
                  name: "S",
                  startsAtMs: t0 - 1,
                  endsAtMs: t0 + 1e12,
                  price: { amount: 80, currency: "usd" },
                  perCustomerLimit: 4,
                  maxPerOrder: 3,
                  holdSeconds: 60,
                  paymentSeconds: 120,
                  holdsPerMinute: null,
                },
                t0,
              );
            }
            if (stock > 0) ledger.adjust({ delta: stock, reason: "received" }, null, t0);
            const holdIds: string[] = [];
            /** Each hold's customer, by the index of holdIds: a change is the owner's. */
            const owners: string[] = [];

            for (const [step, o] of ops.entries()) {
              const now = model.now;
              const expected = model.apply(o, holdIds);
              let actual: Outcome<unknown> | null = null;
              const pick = (p: number) => holdIds[p % Math.max(1, holdIds.length)];
              switch (o.kind) {
                case "hold":
                  actual = ledger.reserve({ customerId: `c${o.customer}`, quantity: o.quantity }, null, now);
                  if (actual.ok) holdIds.push((actual.value as { holdId: string }).holdId);
                  if (actual.ok) owners.push(`c${o.customer}`);
                  break;
                case "change":
                  if (pick(o.pick)) {
                    const change = { customerId: owners[o.pick % holdIds.length]!, quantity: o.quantity };
                    actual = ledger.changeHold(pick(o.pick)!, change, null, now, { shortage: "final", prior: {}, away: null });
                  }
                  break;
                case "release":
                  if (pick(o.pick)) actual = ledger.release(pick(o.pick)!, "merchant", now);
                  break;
                case "checkout":
                  if (pick(o.pick)) actual = ledger.beginCheckout(pick(o.pick)!, `order-${o.pick % 2}`, now);
                  break;
                case "commit":
                  if (pick(o.pick)) actual = ledger.commit(pick(o.pick)!, `order-${o.pick % 2}`, now);
                  break;
                case "return":
                  if (pick(o.pick)) actual = ledger.returnHold(pick(o.pick)!, `order-${o.pick % 2}`, now);
                  break;
                case "adjust":
                  actual = ledger.adjust({ delta: o.delta, reason: "correction" }, null, now);
                  break;
                case "alarm":
                  ledger.expireDue(now, 2_000);
                  break;
                case "advance":
                  break;
              }
              const context = `step ${step} ${JSON.stringify(o)}`;
              expect(verdict(actual), context).toEqual(expected);
              expect(ledger.audit(), context).toEqual({ ok: true, problems: [] });
              const seen = ledger.snapshot(model.now);
              model.sweep();
              expect(seen?.levels, context).toEqual(model.levels() satisfies Levels);
              expect(model.levels().reserved).toBeLessThanOrEqual(model.levels().onHand);
            }
            expect(ledger.counters().invariant_violations ?? 0).toBe(0);
          });
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});

/** The part of an outcome the model predicts: ok with the hold's status, or the refusal code. */
function verdict(outcome: Outcome<unknown> | null): string | null {
  if (outcome === null) return null;
  if (!outcome.ok) return outcome.code;
  const status = (outcome.value as { status?: string }).status;
  return status === undefined ? "ok" : `ok:${status}`;
}
