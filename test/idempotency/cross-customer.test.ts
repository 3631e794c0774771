import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idempotencyKey } from "../../src/http/idempotency";
import { ownerScope, scopedKey } from "../../src/idempotency/keys";
import { replayOf } from "../../src/idempotency/rule";
import { accept } from "../../src/domain/problems";
import { checkoutAs, createSku, hold, unique } from "../support/helpers";

/**
 * Issue 22 item 3 (and issue 17 item 9): a stored reply belongs to the caller
 * that made it. Customer ids may contain `|` (identity providers' subjects such
 * as `auth0|5f7c…`, spec §12), so the stored key must stay unambiguous, and a
 * replay for another caller never returns the first caller's reply or order.
 */

describe("stored replies never cross customers", () => {
  it("checkout: a customer whose id contains `|` and another whose key does get two orders", async () => {
    const sku = await createSku({ stock: 10 });
    const body = { items: [{ sku, quantity: 1 }], paymentMethod: "pm_card_visa" };
    const carol = unique("carol");
    const first = await checkoutAs(`${carol}|checkout|x`, body, { "Idempotency-Key": "cart-1" });
    expect(first.status).toBe(202);
    const second = await checkoutAs(carol, body, { "Idempotency-Key": "x|checkout|cart-1" });
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect(second.status).toBe(202);
    expect(second.body.customerId).toBe(carol);
    expect(second.body.orderId).not.toBe(first.body.orderId);
  });

  it("holds: the same crafted pair gets two holds, each its own customer's", async () => {
    const sku = await createSku({ stock: 10 });
    const dave = unique("dave");
    const first = await hold(sku, `${dave}|hold:${sku}|x`, 1, { "Idempotency-Key": "k-1" });
    expect(first.status).toBe(201);
    const second = await hold(sku, dave, 1, { "Idempotency-Key": `x|hold:${sku}|k-1` });
    expect(second.headers.get("idempotent-replayed")).toBeNull();
    expect(second.status).toBe(201);
    expect(second.body.customerId).toBe(dave);
    expect(second.body.holdId).not.toBe(first.body.holdId);
  });

  it("the stored key is one-to-one: distinct (owner, operation, key) never encode alike", () => {
    const part = fc.string({ unit: fc.constantFrom("a", "|", "\\", ":", "b"), maxLength: 6 });
    fc.assert(
      fc.property(fc.tuple(part, part, part), fc.tuple(part, part, part), (a, b) => {
        fc.pre(a.join("\u0000") !== b.join("\u0000"));
        expect(scopedKey(...a)).not.toBe(scopedKey(...b));
      }),
      { numRuns: 2000 },
    );
  });

  it("a customer id without `|` or `\\` keeps the key it was stored under (order ids and stored rows stay valid)", () => {
    expect(scopedKey(ownerScope({ kind: "shopper", customerId: "cus_42" }), "checkout", "cart-1")).toBe("shopper:cus_42|checkout|cart-1");
  });

  it("a reply found under a key is replayed only to the caller that stored it", async () => {
    const stored = idempotencyKey("k", { kind: "shopper", customerId: "alice" }, "checkout", { a: 1 });
    const other = idempotencyKey("k", { kind: "shopper", customerId: "mallory" }, "checkout", { a: 1 });
    const row = { request_hash: stored!.requestHash, outcome: JSON.stringify(accept({ orderId: "ord_alice" })), created_at_ms: 0 };
    // Whatever key the store found the row under, another caller never gets it back.
    const replay = replayOf(row, { ...other!, key: stored!.key }, 1);
    expect(replay?.ok).not.toBe(true);
    expect(replayOf(row, stored!, 1)).toMatchObject({ ok: true, replayed: true });
  });
});
