import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import type { Outcome } from "../../src/domain/problems";
import type { Levels } from "../../src/domain/types";
import type { SkuObject } from "../../src/objects/sku-object";
import { SkuModel, type Op } from "../support/sku-model";
import { unique } from "../support/helpers";
import { SkuLedger } from "../../src/stock/ledger";
import { SkuCatalog } from "../../src/stock/catalog";
import type { Destination, Routing } from "../../src/domain/locations";
import { LocatedOracle, PLACES, type HoldFacts } from "./locations/located-oracle";

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

/**
 * Spec §11 on the same ledger: random located holds with destinations,
 * releases, expiries, checkouts, commits, returns, changes of quantity,
 * adjustments per location (the first makes the SKU located mid-sequence),
 * safety stock, pauses, routing settings and restarts (a new ledger over the
 * same storage, so no cache survives). After every step the object's
 * per-location levels must equal an independent account (located-oracle.ts)
 * and every allocation must respect the destination and what each location
 * had: no location oversold, a refusal only when no candidate could serve.
 */
const DESTINATIONS: Destination[] = [
  { kind: "ship", country: "US", latitude: 41, longitude: -73 },
  { kind: "ship", country: "US", latitude: 35, longitude: -117 },
  { kind: "ship", country: "DE", latitude: 50, longitude: 10 },
  { kind: "ship", country: "FR", latitude: null, longitude: null },
  { kind: "pickup", location: "a" },
  { kind: "pickup", location: "b" },
  { kind: "pickup", location: "c" },
];
const LOCS = [null, "default", "a", "b", "c"] as const;
const ROUTINGS: Routing[] = ["nearest", "priority", "most_stock"];

type LocatedOp =
  | { kind: "hold"; customer: number; quantity: number; dest: number }
  | { kind: "release" | "checkout" | "commit" | "return"; pick: number }
  | { kind: "change"; pick: number; quantity: number }
  | { kind: "adjust"; loc: number; delta: number }
  | { kind: "safety"; loc: number; units: number }
  | { kind: "pause"; loc: number; paused: boolean }
  | { kind: "policy"; routing: number; split: boolean }
  | { kind: "advance"; ms: number }
  | { kind: "alarm" | "restart" };

const locatedOp: fc.Arbitrary<LocatedOp> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("hold" as const),
      customer: fc.integer({ min: 0, max: 2 }),
      quantity: fc.integer({ min: 1, max: 4 }),
      dest: fc.integer({ min: 0, max: DESTINATIONS.length - 1 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constantFrom("release" as const, "checkout" as const, "commit" as const), pick: fc.nat() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("return" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("change" as const), pick: fc.nat(), quantity: fc.integer({ min: 0, max: 5 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("adjust" as const),
      loc: fc.integer({ min: 0, max: LOCS.length - 1 }),
      delta: fc.integer({ min: -4, max: 8 }).filter((d) => d !== 0),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("safety" as const), loc: fc.integer({ min: 1, max: 4 }), units: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("pause" as const), loc: fc.integer({ min: 2, max: 4 }), paused: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("policy" as const), routing: fc.nat(2), split: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 0, max: 400_000 }) }) },
  { weight: 1, arbitrary: fc.constantFrom({ kind: "alarm" as const }, { kind: "restart" as const }) },
);

const LOCATED_RUNS = 100;

describe("a located SKU's ledger against an independent account", () => {
  it(`keeps every location's levels and invariants on every step (seed ${SEED}; replay with MODEL_SEED=${SEED})`, async () => {
    console.log(`located model seed ${SEED}`);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 8 }), fc.array(locatedOp, { minLength: 1, maxLength: 50 }), async (stock, ops) => {
        const stub = env.SKU.getByName(unique("located-model"));
        await runInDurableObject(stub, (obj: SkuObject, state) => {
          obj.ensureSchema();
          const defaults = { hold_seconds: 300, payment_seconds: 600, retention_ms: 0 };
          let ledger = obj.ledger;
          let catalog = obj.catalog;
          let now = Date.now();
          const settings = { name: "Located", price: { amount: 100, currency: "usd" }, alwaysOn: true };
          catalog.configure("located-sku", settings, now);
          const oracle = new LocatedOracle();
          if (stock > 0 && ledger.adjust({ delta: stock, reason: "received" }, null, now).ok) oracle.adjusted(null, stock);
          const holds: { id: string; owner: string }[] = [];
          const revisions = new Map<string, number>();
          let policy = { routing: "nearest" as Routing, split: false };
          let available = new Map<string, number>();
          const pick = (p: number) => holds[p % Math.max(1, holds.length)];

          for (const [step, o] of ops.entries()) {
            const context = `step ${step} ${JSON.stringify(o)}`;
            let outcome: { ok: boolean; code?: string; value?: unknown } | null = null;
            switch (o.kind) {
              case "hold": {
                const destination = DESTINATIONS[o.dest]!;
                outcome = ledger.reserve({ customerId: `c${o.customer}`, quantity: o.quantity, destination }, null, now);
                if (outcome.ok) holds.push({ id: (outcome.value as { holdId: string }).holdId, owner: `c${o.customer}` });
                if (oracle.located) {
                  const dest = destination.kind === "pickup" ? { pickup: destination.location } : {};
                  const candidates = oracle.candidates(dest);
                  const fits = candidates.filter((l) => (available.get(l) ?? 0) >= o.quantity);
                  const within = candidates.reduce((n, l) => n + (available.get(l) ?? 0), 0);
                  if (outcome.ok) {
                    const allocations = (outcome.value as { allocations: { location: string; quantity: number }[] }).allocations;
                    for (const a of allocations) expect(candidates, `${context}: allocated where it may`).toContain(a.location);
                    if (!policy.split) {
                      expect(allocations, context).toHaveLength(1);
                      expect(fits, `${context}: one location had it all`).toContain(allocations[0]!.location);
                      if (policy.routing === "priority") expect(allocations[0]!.location, `${context}: priority order`).toBe(fits[0]);
                    }
                  } else if (outcome.code === "insufficient_stock") {
                    if (policy.split) expect(within, `${context}: refused though the candidates had it`).toBeLessThan(o.quantity);
                    else expect(fits, `${context}: refused though a location had it`).toEqual([]);
                  }
                }
                break;
              }
              case "change":
                if (pick(o.pick)) {
                  const change = { customerId: pick(o.pick)!.owner, quantity: o.quantity };
                  outcome = ledger.changeHold(pick(o.pick)!.id, change, null, now, { shortage: "final", prior: {}, away: null });
                }
                break;
              case "release":
                if (pick(o.pick)) outcome = ledger.release(pick(o.pick)!.id, "merchant", now);
                break;
              case "checkout":
                if (pick(o.pick)) outcome = ledger.beginCheckout(pick(o.pick)!.id, `order-${o.pick % 2}`, now);
                break;
              case "commit":
                if (pick(o.pick)) outcome = ledger.commit(pick(o.pick)!.id, `order-${o.pick % 2}`, now);
                break;
              case "return":
                if (pick(o.pick)) outcome = ledger.returnHold(pick(o.pick)!.id, `order-${o.pick % 2}`, now);
                break;
              case "adjust": {
                const loc = LOCS[o.loc]!;
                const profile = PLACES.find((p) => p.locationId === loc) ?? null;
                const input = { delta: o.delta, reason: "correction" as const, ...(loc !== null && { location: loc }) };
                outcome = ledger.adjust(input, null, now, { profile });
                if (outcome.ok) {
                  if (loc !== null) oracle.locate();
                  const single = oracle.located && loc === null ? [...oracle.received.keys()][0]! : loc;
                  oracle.adjusted(single, o.delta);
                } else if (loc === null && oracle.located) expect(outcome.code, context).toMatch(/location_required|insufficient_stock/);
                break;
              }
              case "safety": {
                const loc = LOCS[o.loc]!;
                const profile = PLACES.find((p) => p.locationId === loc) ?? null;
                outcome = ledger.stockLocation(loc, o.units, { profile }, now);
                expect(outcome.ok, context).toBe(true);
                oracle.locate();
                if (!oracle.received.has(loc)) oracle.received.set(loc, 0);
                oracle.safety.set(loc, o.units);
                break;
              }
              case "pause": {
                const loc = LOCS[o.loc]!;
                const revision = (revisions.get(loc) ?? 1) + 1;
                revisions.set(loc, revision);
                const profile = { ...PLACES.find((p) => p.locationId === loc)!, status: o.paused ? "paused" : "active", revision } as const;
                const { applied } = ledger.setLocationProfile(profile, now);
                expect(applied, context).toBe(oracle.received.has(loc));
                if (applied && o.paused) oracle.paused.add(loc);
                if (applied && !o.paused) oracle.paused.delete(loc);
                break;
              }
              case "policy":
                policy = { routing: ROUTINGS[o.routing]!, split: o.split };
                expect("ok" in catalog.configure("located-sku", { ...settings, ...policy }, now), context).toBe(false);
                break;
              case "advance":
                now += o.ms;
                break;
              case "alarm":
                ledger.expireDue(now, 2_000);
                break;
              case "restart":
                ledger = new SkuLedger(state.storage, defaults);
                catalog = new SkuCatalog(ledger.tables);
                break;
            }
            if (outcome && !outcome.ok) expect(outcome.code, `${context}: never a broken invariant`).not.toBe("internal");
            expect(ledger.audit(), context).toEqual({ ok: true, problems: [] });
            const snapshot = ledger.snapshot(now)!;
            const rows = ledger.tables.sql.exec<HoldFacts>("SELECT quantity, status, allocations FROM holds").toArray();
            available = oracle.check(snapshot, rows, context);
          }
          expect(ledger.counters().invariant_violations ?? 0).toBe(0);
        });
      }),
      { seed: SEED, numRuns: LOCATED_RUNS, endOnFailure: true },
    );
  });
});
