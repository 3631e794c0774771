/**
 * `npm run seed`'s work (scripts/seed/apply.ts) through the typed client
 * against the Worker: a file's SKUs, stock and sale are created, and running it
 * again changes nothing. The committed example must parse.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createHoldfastClient } from "@holdfast/client";
import example from "../../examples/sale.json";
import { applySeed } from "../../scripts/seed/apply.ts";
import { resolveWhen, SeedFile } from "../../scripts/seed/format.ts";
import { ADMIN, call, unique } from "../support/helpers";
import { TEST_SECRETS } from "../support/secrets";

const hf = createHoldfastClient({
  baseUrl: "https://holdfast.test",
  token: TEST_SECRETS.ADMIN_TOKEN,
  fetch: (r) => exports.default.fetch(r),
});

/** The example with every id made unique to this test (storage is shared across a file's tests). */
function renamed(): SeedFile {
  const file = SeedFile.parse(example);
  const names = new Map(file.skus.map((s) => [s.sku, unique(s.sku)]));
  return {
    skus: file.skus.map((s) => ({ ...s, sku: names.get(s.sku)! })),
    sale: { ...file.sale!, saleId: unique(file.sale!.saleId), items: file.sale!.items.map((i) => ({ ...i, sku: names.get(i.sku)! })) },
  };
}

describe("npm run seed", () => {
  it("creates the file's SKUs, stock and live sale, and a second run changes nothing", async () => {
    const file = renamed();
    const first = await applySeed(hf, file, Date.now());
    expect(first.map((l) => l.action)).toEqual(["created", "created", "created"]);
    const [hoodie, cap] = file.skus;
    const view = await call(`/v1/skus/${hoodie!.sku}`, { auth: ADMIN });
    expect(view.body).toMatchObject({ name: hoodie!.name, onHand: hoodie!.stock, received: hoodie!.stock, alwaysOn: false });
    const sale = await call(`/v1/sales/${file.sale!.saleId}`);
    expect(sale.body).toMatchObject({ status: "live", revision: 1 });
    expect(sale.body.items.map((i: { sku: string }) => i.sku)).toEqual([hoodie!.sku, cap!.sku]);

    const again = await applySeed(hf, file, Date.now() + 5_000);
    expect(again.map((l) => l.action)).toEqual(["kept", "kept", "kept"]);
    expect((await call(`/v1/skus/${hoodie!.sku}`, { auth: ADMIN })).body.received).toBe(hoodie!.stock);
    expect((await call(`/v1/sales/${file.sale!.saleId}`)).body.revision).toBe(1);

    // More stock in the file tops up the difference; units already there are never added twice.
    const more = { ...file, skus: [{ ...hoodie!, stock: hoodie!.stock + 10 }, cap!] };
    expect((await applySeed(hf, more, Date.now())).map((l) => l.action)).toEqual(["updated", "kept", "kept"]);
    expect((await call(`/v1/skus/${hoodie!.sku}`, { auth: ADMIN })).body).toMatchObject({
      received: hoodie!.stock + 10,
      onHand: hoodie!.stock + 10,
    });
  });

  it("validates the file: unknown fields, bad times and missing stock are refused with their path", () => {
    const bad = SeedFile.safeParse({ skus: [{ sku: "x", name: "X", price: { amount: 1, currency: "usd" }, stok: 3 }], sale: undefined });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(expect.arrayContaining(["skus.0.stock", "skus.0"]));
    const when = SeedFile.safeParse({ ...example, sale: { ...example.sale, endsAt: "next tuesday" } });
    expect(when.error!.issues[0]!.path.join(".")).toBe("sale.endsAt");
    expect(resolveWhen("+2h", 1_000)).toBe(1_000 + 7_200_000);
    expect(resolveWhen("-1m", 60_000)).toBe(0);
    expect(resolveWhen("2026-12-01T00:00:00Z", 0)).toBe(Date.UTC(2026, 11, 1));
  });
});
