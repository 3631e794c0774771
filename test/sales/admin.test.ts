import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { ADMIN, call, createSku, expectProblem, hold, putSale, shopperToken, unique } from "../support/helpers";

/** Issue 10, merchant API for sales: the list, ending a sale, overlaps and currencies. */

const HOUR = 3_600_000;
const item = (sku: string, extra: Record<string, unknown> = {}) => ({
  sku,
  price: { amount: 500, currency: "usd" },
  perCustomerLimit: 10,
  ...extra,
});

async function saleRow(saleId: string) {
  return env.DB.prepare("SELECT * FROM sales WHERE sale_id = ?").bind(saleId).first();
}

describe("GET /v1/sales", () => {
  it("pages every sale newest start first with a cursor, and filters by status", async () => {
    const sku = await createSku({ stock: 3, alwaysOn: false });
    // Distinct far-future starts keep this test's sales at the head of the list and out of each other's windows.
    const base = 400 * 24 * HOUR + Math.floor(Math.random() * 1e6) * HOUR;
    const ids = [unique("list-a"), unique("list-b"), unique("list-c")];
    for (const [i, id] of ids.entries()) {
      const res = await putSale(id, [item(sku)], { startsInMs: base + i * HOUR, endsInMs: base + i * HOUR + HOUR / 2 });
      expect(res.status).toBe(201);
    }
    const first = await call("/v1/sales?status=upcoming&limit=2", { auth: ADMIN });
    expect(first.status).toBe(200);
    expect(first.body.data.map((s: { saleId: string }) => s.saleId)).toEqual([ids[2], ids[1]]);
    expect(first.body.data[0]).toMatchObject({ status: "upcoming", items: [{ sku, available: 3, priority: null }] });
    expect(typeof first.body.nextCursor).toBe("string");
    const second = await call(`/v1/sales?status=upcoming&limit=2&cursor=${first.body.nextCursor}`, { auth: ADMIN });
    expect(second.status).toBe(200);
    expect(second.body.data[0].saleId).toBe(ids[0]);

    const live = await call("/v1/sales?status=live&limit=100", { auth: ADMIN });
    expect(live.body.data.every((s: { status: string }) => s.status === "live")).toBe(true);
    expect(live.body.data.map((s: { saleId: string }) => s.saleId)).not.toContain(ids[0]);
  });

  it("refuses a bad status, a bad limit and a cursor it did not hand out; shoppers are forbidden", async () => {
    for (const q of ["status=open", "limit=0", "limit=101", "cursor=bm90LWEtY3Vyc29y", "cursor=%25%25"]) {
      expectProblem(await call(`/v1/sales?${q}`, { auth: ADMIN }), 400, "invalid_request");
    }
    const orderCursor = await call("/v1/orders?limit=1", { auth: ADMIN });
    if (orderCursor.body.nextCursor)
      expectProblem(await call(`/v1/sales?cursor=${orderCursor.body.nextCursor}`, { auth: ADMIN }), 400, "invalid_request");
    expectProblem(await call("/v1/sales"), 401, "unauthorized");
    expectProblem(await call("/v1/sales", { auth: await shopperToken("eve") }), 403, "forbidden");
  });
});

describe("POST /v1/sales/{saleId}/end", () => {
  it("ends a live sale at once: the SKU refuses holds with sale_ended; ending again changes nothing", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = unique("end");
    expect((await putSale(saleId, [item(sku)])).status).toBe(201);
    expect((await hold(sku, unique("c"), 1)).status).toBe(201);
    const before = Date.now();
    const ended = await call(`/v1/sales/${saleId}/end`, { auth: ADMIN, method: "POST" });
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ saleId, status: "ended", revision: 2 });
    expect(Date.parse(ended.body.endsAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(ended.body.endsAt)).toBeLessThanOrEqual(Date.now());
    expectProblem(await hold(sku, unique("c"), 1), 409, "sale_ended");

    const again = await call(`/v1/sales/${saleId}/end`, { auth: ADMIN, method: "POST" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ revision: 2, endsAt: ended.body.endsAt, updatedAt: ended.body.updatedAt });
  });

  it("ends an upcoming sale with an empty window; replays a key; unknown is 404 and writes nothing", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = unique("end-up");
    expect((await putSale(saleId, [item(sku)], { startsInMs: 90 * 24 * HOUR, endsInMs: 91 * 24 * HOUR })).status).toBe(201);
    const key = { "Idempotency-Key": unique("k") };
    const ended = await call(`/v1/sales/${saleId}/end`, { auth: ADMIN, method: "POST", headers: key });
    expect(ended.body).toMatchObject({ status: "ended" });
    expect(ended.body.startsAt).toBe(ended.body.endsAt);
    const replay = await call(`/v1/sales/${saleId}/end`, { auth: ADMIN, method: "POST", headers: key });
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(ended.body);

    const ghost = unique("ghost");
    expectProblem(await call(`/v1/sales/${ghost}/end`, { auth: ADMIN, method: "POST" }), 404, "not_found");
    expect(await saleRow(ghost)).toBeNull();
    expectProblem(await call(`/v1/sales/${saleId}/end`, { auth: await shopperToken("eve"), method: "POST" }), 403, "forbidden");
  });
});

describe("overlapping sales of one SKU", () => {
  it("refuses an overlap without priorities with sale_overlap naming the conflict, and writes nothing", async () => {
    const [a, b] = [await createSku({ stock: 5, alwaysOn: false }), await createSku({ stock: 5, alwaysOn: false })];
    const first = unique("ov-1");
    expect((await putSale(first, [item(a)])).status).toBe(201);
    const second = unique("ov-2");
    const res = await putSale(second, [item(b), item(a)]);
    expectProblem(res, 409, "sale_overlap");
    expect(res.body.conflicts).toEqual([{ saleId: first, sku: a }]);
    expect(await saleRow(second)).toBeNull();
    expect((await hold(b, unique("c"), 1)).status).toBe(409);
    // One side's priority is not enough: both must opt in.
    expectProblem(await putSale(second, [item(a, { priority: 5 })]), 409, "sale_overlap");
    // Back-to-back windows do not overlap: [startsAt, endsAt) is half-open.
    const row = (await saleRow(first)) as { ends_at_ms: number };
    const after = unique("ov-3");
    const now = Date.now();
    expect((await putSale(after, [item(a)], { startsInMs: row.ends_at_ms - now, endsInMs: row.ends_at_ms - now + HOUR })).status).toBe(201);
  });

  it("with priorities on both, the higher one prices the SKU while both are live, whatever the order of writes", async () => {
    const sku = await createSku({ stock: 9, alwaysOn: false });
    const [low, high] = [unique("pr-low"), unique("pr-high")];
    expect(
      (await putSale(high, [item(sku, { priority: 10, price: { amount: 300, currency: "usd" } })], { startsInMs: -2 * HOUR })).status,
    ).toBe(201);
    expect((await putSale(low, [item(sku, { priority: 1, price: { amount: 700, currency: "usd" } })], { startsInMs: -HOUR })).status).toBe(
      201,
    );
    const h = await hold(sku, unique("c"), 1);
    // The low-priority sale started later, which alone would have won before issue 10.
    expect(h.body).toMatchObject({ saleId: high, unitPrice: { amount: 300 } });
    expect((await call(`/v1/sales/${high}/end`, { auth: ADMIN, method: "POST" })).status).toBe(200);
    expect((await hold(sku, unique("c"), 1)).body).toMatchObject({ saleId: low, unitPrice: { amount: 700 } });
  });
});

describe("currencies", () => {
  it("accepts active ISO 4217 codes in any case and refuses others, on SKUs and sale items", async () => {
    const sku = unique("cur");
    const put = (currency: string) =>
      call(`/v1/skus/${sku}`, { method: "PUT", auth: ADMIN, body: { name: "C", price: { amount: 100, currency } } });
    for (const bad of ["xyz", "XXX", "abc"]) {
      const res = await put(bad);
      expectProblem(res, 400, "invalid_request");
      expect(res.body.errors).toEqual([expect.objectContaining({ in: "json", path: "price.currency" })]);
    }
    expectProblem(await call(`/v1/skus/${sku}`, { auth: ADMIN }), 404, "not_found");
    expect((await put("EUR")).body.price.currency).toBe("eur");
    const res = await putSale(unique("cur-sale"), [item(sku, { price: { amount: 1, currency: "zzz" } })]);
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors[0]).toMatchObject({ in: "json", path: "items.0.price.currency" });
  });

  it("refuses a sale item priced in another currency than its SKU, naming the field, and writes nothing", async () => {
    const [usd, eur] = [await createSku({ stock: 1 }), unique("eur")];
    expect(
      (await call(`/v1/skus/${eur}`, { method: "PUT", auth: ADMIN, body: { name: "E", price: { amount: 100, currency: "eur" } } })).status,
    ).toBe(201);
    const saleId = unique("mix");
    const res = await putSale(saleId, [item(usd), item(eur)]);
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors).toEqual([{ in: "json", path: "items.1.price.currency", message: "must be the SKU's currency, eur" }]);
    expect(await saleRow(saleId)).toBeNull();
    expect((await putSale(saleId, [item(eur, { price: { amount: 90, currency: "EUR" } })])).status).toBe(201);

    // Nor may the SKU's currency change under a sale that has not ended.
    const repriced = await call(`/v1/skus/${eur}`, {
      method: "PUT",
      auth: ADMIN,
      body: { name: "E", price: { amount: 100, currency: "usd" } },
    });
    expectProblem(repriced, 400, "invalid_request");
    expect(repriced.body.errors).toEqual([expect.objectContaining({ in: "json", path: "price.currency" })]);
    expect((await call(`/v1/skus/${eur}`, { auth: ADMIN })).body.price.currency).toBe("eur");
    expect((await call(`/v1/sales/${saleId}/end`, { auth: ADMIN, method: "POST" })).status).toBe(200);
    expect(
      (await call(`/v1/skus/${eur}`, { method: "PUT", auth: ADMIN, body: { name: "E", price: { amount: 100, currency: "usd" } } })).status,
    ).toBe(200);
  });
});
