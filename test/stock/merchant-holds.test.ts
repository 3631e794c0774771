import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, expectProblem, hold, levels, paidOrder, placeOrder, shopperToken, unique } from "../support/helpers";

/** Issue 10, merchant API for holds: list a SKU's holds by status, void a live one. */

const list = (sku: string, q = "") => call(`/v1/skus/${sku}/holds${q}`, { auth: ADMIN });
const voidHold = (sku: string, holdId: string, body: unknown = { reason: "fraud check" }, auth = ADMIN) =>
  call(`/v1/skus/${sku}/holds/${holdId}/void`, { auth, body });

describe("GET /v1/skus/{sku}/holds", () => {
  it("lists holds newest first with customer and times, pages by cursor and filters by status", async () => {
    const sku = await createSku({ stock: 20 });
    const customers = [unique("a"), unique("b"), unique("c")];
    const ids: string[] = [];
    for (const c of customers) {
      const h = await hold(sku, c, 1);
      ids.push(h.body.holdId);
      await new Promise((r) => setTimeout(r, 3));
    }
    await call(`/v1/skus/${sku}/holds/${ids[1]}`, { method: "DELETE", auth: ADMIN });

    const first = await list(sku, "?limit=2");
    expect(first.status).toBe(200);
    expect(first.body.data.map((h: { holdId: string }) => h.holdId)).toEqual([ids[2], ids[1]]);
    expect(first.body.data[1]).toMatchObject({ customerId: customers[1], status: "released", sku });
    expect(Date.parse(first.body.data[1].endedAt)).toBeGreaterThan(0);
    expect(first.body.data[0].endedAt).toBeUndefined();
    const second = await list(sku, `?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ data: [expect.objectContaining({ holdId: ids[0], status: "held" })], nextCursor: null });

    const held = await list(sku, "?status=held");
    expect(held.body.data.map((h: { holdId: string }) => h.holdId)).toEqual([ids[2], ids[0]]);
    // A cursor continues only the listing it came from.
    expectProblem(await list(sku, `?status=held&cursor=${first.body.nextCursor}`), 400, "invalid_request");
  });

  it("merges every shard of a sharded SKU", async () => {
    const sku = unique("sharded");
    const put = await call(`/v1/skus/${sku}`, {
      method: "PUT",
      auth: ADMIN,
      body: { name: "S", price: { amount: 100, currency: "usd" }, alwaysOn: true, shards: 4 },
    });
    expect(put.status).toBe(201);
    expect((await call(`/v1/skus/${sku}/adjustments`, { auth: ADMIN, body: { delta: 40, reason: "restock" } })).status).toBe(200);
    const made = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const h = await hold(sku, unique("shopper"), 1);
      expect(h.status).toBe(201);
      made.add(h.body.holdId);
    }
    // Holds named more than one object, else this test proves nothing about merging.
    expect(new Set([...made].map((id) => /-(\d+)_/.exec(id)?.[1] ?? "pool")).size).toBeGreaterThan(1);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: Awaited<ReturnType<typeof list>> = await list(sku, `?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((h: { holdId: string }) => h.holdId));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen.length).toBe(8);
    expect(new Set(seen)).toEqual(made);
  });

  it("refuses a bad status, limit or cursor, an unknown SKU, and anyone but the merchant", async () => {
    const sku = await createSku({ stock: 1 });
    for (const q of ["?status=live", "?limit=0", "?limit=500", "?cursor=bm9wZQ", "?cursor=***"])
      expectProblem(await list(sku, q), 400, "invalid_request");
    expectProblem(await list(unique("nobody")), 404, "not_found");
    expectProblem(await call(`/v1/skus/${sku}/holds`), 401, "unauthorized");
    expectProblem(await call(`/v1/skus/${sku}/holds`, { auth: await shopperToken("eve") }), 403, "forbidden");
  });
});

describe("POST /v1/skus/{sku}/holds/{holdId}/void", () => {
  it("releases a held hold, frees its units and audits the merchant and the reason", async () => {
    const sku = await createSku({ stock: 5 });
    const customer = unique("c");
    const h = await hold(sku, customer, 2);
    expect((await levels(sku)).available).toBe(3);
    const res = await voidHold(sku, h.body.holdId, { reason: "duplicate order" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ holdId: h.body.holdId, status: "released", customerId: customer });
    expect(await levels(sku)).toMatchObject({ available: 5, reserved: 0 });
    // Voiding again returns the hold as it is.
    expect((await voidHold(sku, h.body.holdId)).body.status).toBe("released");
    expect((await levels(sku)).available).toBe(5);

    await runDurableObjectAlarm(env.SKU.getByName(sku));
    const audit = await call(`/v1/audit?stream=sku:${sku}&limit=50`, { auth: ADMIN });
    const released = audit.body.data.filter((e: { type: string }) => e.type === "hold.released");
    expect(released).toHaveLength(1);
    expect(released[0].data).toMatchObject({ by: "merchant", reason: "duplicate order", hold: { holdId: h.body.holdId } });
  });

  it("refuses a hold in checkout or committed with hold_not_releasable and changes nothing", async () => {
    const sku = await createSku({ stock: 5 });
    const pending = await placeOrder(unique("c"), sku, 1, "pm_card_authenticationRequired");
    const paid = await paidOrder(unique("c"), sku, 1);
    for (const holdId of [pending.holdId, paid.holdId]) {
      const before = await levels(sku);
      const res = await voidHold(sku, holdId);
      expectProblem(res, 409, "hold_not_releasable");
      expect(await levels(sku)).toEqual(before);
    }
    const committed = await call(`/v1/skus/${sku}/holds/${paid.holdId}`, { auth: ADMIN });
    expect(committed.body.status).toBe("committed");
  });

  it("refuses a missing or bad reason, a hold of another SKU and non-merchants, changing nothing", async () => {
    const sku = await createSku({ stock: 5 });
    const other = await createSku({ stock: 5 });
    const customer = unique("c");
    const h = await hold(sku, customer, 1);
    for (const body of [{}, { reason: "" }, { reason: "x".repeat(201) }, { reason: "ok", extra: 1 }]) {
      expectProblem(await voidHold(sku, h.body.holdId, body), 400, "invalid_request");
    }
    expectProblem(await voidHold(other, h.body.holdId), 404, "not_found");
    expectProblem(await voidHold(sku, h.body.holdId, { reason: "mine" }, await shopperToken(customer)), 403, "forbidden");
    expectProblem(await voidHold(sku, "hold_nope"), 400, "invalid_request");
    expect((await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, { auth: ADMIN })).body.status).toBe("held");
    expect((await levels(sku)).reserved).toBe(1);
  });
});
