import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, expectProblem, hold, levels, restock, shopperToken, unique } from "../support/helpers";
import { flushOutbox, inventoryRow } from "../support/outbox";

type Item = {
  sku: string;
  name: string;
  status: string;
  onHand: number;
  reserved: number;
  available: number;
  sold: number;
  received: number;
  lastSeq: number;
  asOf: string;
};

/** Every item of the listing, following cursors (bounded). */
async function listAll(query = "", limit = 200): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = [];
  let cursor: string | null = null;
  let pages = 0;
  for (; pages < 100; ) {
    const sep = query ? "&" : "";
    const res = await call(`/v1/skus?${query}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, { auth: ADMIN });
    expect(res.status).toBe(200);
    items.push(...res.body.data);
    pages += 1;
    cursor = res.body.nextCursor;
    if (cursor === null) break;
  }
  return { items, pages };
}

/** SKU ids share a prefix per test so a test can pick its own out of the file's shared D1. */
const mine = (items: Item[], prefix: string) => items.filter((i) => i.sku.startsWith(prefix));

describe("GET /v1/skus (inventory view)", () => {
  it("lists every SKU with its levels once shipped, new ones at zero, without waking objects", async () => {
    const p = unique("inv");
    const a = await createSku({ sku: `${p}-a`, stock: 10 });
    const b = await createSku({ sku: `${p}-b` });
    expect((await hold(a, "ann", 3)).status).toBe(201);
    for (const sku of [a, b]) await flushOutbox(sku);

    const items = mine((await listAll()).items, p);
    expect(items.map((i) => i.sku)).toEqual([a, b]);
    expect(items[0]).toMatchObject({ ...(await levels(a)), name: `Test ${a}`, status: "in_stock", lastSeq: 3 });
    expect(items[1]).toMatchObject({ onHand: 0, reserved: 0, available: 0, sold: 0, received: 0, status: "sold_out", lastSeq: 1 });
    expect(Number.isNaN(Date.parse(items[0]!.asOf))).toBe(false);
  });

  it("follows renames and stock changes, newest levels winning", async () => {
    const p = unique("inv");
    const sku = await createSku({ sku: `${p}-x`, stock: 4 });
    await call(`/v1/skus/${sku}`, { method: "PUT", auth: ADMIN, body: { name: "Renamed", price: { amount: 100, currency: "usd" } } });
    await restock(sku, 3);
    await flushOutbox(sku);
    expect(await inventoryRow(sku)).toMatchObject({ name: "Renamed", on_hand: 7, available: 7, received: 7, last_seq: 4 });
  });

  it("filters on stock status: in_stock is available > 0, sold_out is available = 0", async () => {
    const p = unique("inv");
    const full = await createSku({ sku: `${p}-full`, stock: 2 });
    const held = await createSku({ sku: `${p}-held`, stock: 2 });
    const empty = await createSku({ sku: `${p}-empty` });
    // Every unit held: nothing available, though all are on hand.
    expect((await hold(held, "bo", 2)).status).toBe(201);
    for (const sku of [full, held, empty]) await flushOutbox(sku);

    expect(mine((await listAll("status=in_stock")).items, p).map((i) => i.sku)).toEqual([full]);
    expect(mine((await listAll("status=sold_out")).items, p).map((i) => i.sku)).toEqual([empty, held]);
    expect(mine((await listAll()).items, p).map((i) => i.status)).toEqual(["sold_out", "in_stock", "sold_out"]);
  });

  it("pages by sku with an opaque cursor, each SKU exactly once", async () => {
    const p = unique("inv");
    const skus = [];
    for (let i = 0; i < 7; i++) skus.push(await createSku({ sku: `${p}-${String(i).padStart(2, "0")}`, stock: i }));
    for (const sku of skus) await flushOutbox(sku);

    const { items, pages } = await listAll("", 3);
    const all = items.map((i) => i.sku);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(all);
    expect(mine(items, p).map((i) => i.sku)).toEqual(skus);
    expect(pages).toBe(Math.ceil(all.length / 3));

    const first = await call("/v1/skus?limit=2", { auth: ADMIN });
    expect(first.body.data).toHaveLength(2);
    expect(typeof first.body.nextCursor).toBe("string");
    expect(first.body.nextCursor).not.toContain(first.body.data[1].sku);
    // The default page size is 50; a status filter keeps its cursor.
    expect((await call("/v1/skus", { auth: ADMIN })).body.data.length).toBe(Math.min(50, all.length));
    const filtered = await listAll("status=in_stock", 2);
    expect(filtered.items.every((i) => i.available > 0)).toBe(true);
  });

  it("is for the merchant only and validates its query", async () => {
    expectProblem(await call("/v1/skus"), 401, "unauthorized");
    expectProblem(await call("/v1/skus", { auth: await shopperToken("eve") }), 403, "forbidden");
    for (const q of ["status=low", "limit=0", "limit=201", "limit=ten", "cursor=%25%25", "cursor=Lw"]) {
      expectProblem(await call(`/v1/skus?${q}`, { auth: ADMIN }), 400, "invalid_request");
    }
    const page = await call("/v1/skus?limit=200", { auth: ADMIN });
    expect(page.status).toBe(200);
  });

  it("is documented in the OpenAPI document, with the audit routes", async () => {
    const doc = (await call("/openapi.json")).body;
    expect(doc.paths["/v1/skus"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(["cursor", "limit", "status"]);
    expect(doc.paths["/v1/audit"].get).toBeDefined();
    expect(doc.paths["/v1/audit/verify"].get).toBeDefined();
  });
});
