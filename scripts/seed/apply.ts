/**
 * Applies a seed file through the API with the typed client, as a merchant
 * would, and so that running it again changes nothing: a SKU is written only
 * when its name, price or settings differ; stock is topped up to the file's
 * `stock` counted as units received (never removed, never added twice: the
 * adjustment's Idempotency-Key names the levels it starts from); a sale is
 * replaced only when it differs, and a relative time ("now", "+30d") of a sale
 * that already exists keeps the window it got when it was created.
 */
import { unwrap, type HoldfastClient } from "../../client/src/index.ts";
import { isRelative, resolveWhen, type SeedFile } from "./format.ts";

export interface SeedLine {
  what: string;
  action: "created" | "updated" | "kept";
  detail: string;
}

type SaleInput = NonNullable<SeedFile["sale"]>;

export async function applySeed(hf: HoldfastClient, file: SeedFile, now_ms: number): Promise<SeedLine[]> {
  const lines: SeedLine[] = [];
  for (const item of file.skus) lines.push(await seedSku(hf, item));
  if (file.sale) lines.push(await seedSale(hf, file.sale, now_ms));
  return lines;
}

async function seedSku(hf: HoldfastClient, item: SeedFile["skus"][number]): Promise<SeedLine> {
  const path = { params: { path: { sku: item.sku } } };
  const { stock, sku, ...config } = item;
  const found = await hf.GET("/v1/skus/{sku}", path);
  if (found.error && found.response.status !== 404)
    throw new Error(`GET /v1/skus/${sku}: ${found.response.status} ${JSON.stringify(found.error)}`);
  const before = found.data?.view === "merchant" ? found.data : null;
  const same =
    before !== null &&
    before.name === config.name &&
    before.price.amount === config.price.amount &&
    before.price.currency === config.price.currency.toLowerCase() &&
    before.alwaysOn === (config.alwaysOn ?? false) &&
    (config.shards === undefined || before.shards === config.shards);
  if (!same) await unwrap(hf.PUT("/v1/skus/{sku}", { ...path, body: config }));

  const received = before?.received ?? 0;
  const missing = stock - received;
  let levels = before ? `onHand ${before.onHand}, received ${before.received}` : "no stock";
  if (missing > 0) {
    const result = await unwrap(
      hf.POST("/v1/skus/{sku}/adjustments", {
        params: { path: { sku }, header: { "idempotency-key": `seed-${sku}-${received}-to-${stock}` } },
        body: { delta: missing, reason: "received", reference: "npm run seed" },
      }),
    );
    levels = `onHand ${result.levels.onHand}, received ${result.levels.received} (+${missing})`;
  } else if (missing < 0) {
    levels += ` (more than the file's ${stock} already arrived; seed never removes units)`;
  }
  const action = before === null ? "created" : !same || missing > 0 ? "updated" : "kept";
  return { what: sku, action, detail: levels };
}

async function seedSale(hf: HoldfastClient, sale: SaleInput, now_ms: number): Promise<SeedLine> {
  const path = { params: { path: { saleId: sale.saleId } } };
  const found = await hf.GET("/v1/sales/{saleId}", path);
  if (found.error && found.response.status !== 404) throw new Error(`GET /v1/sales/${sale.saleId}: ${found.response.status}`);
  const existing = found.data ?? null;
  const at = (when: string, kept: string | undefined) =>
    isRelative(when) && kept ? kept : new Date(resolveWhen(when, now_ms)).toISOString();
  const body = {
    name: sale.name,
    startsAt: at(sale.startsAt, existing?.startsAt),
    endsAt: at(sale.endsAt, existing?.endsAt),
    items: sale.items,
  };
  if (existing && sameSale(existing, body)) return { what: sale.saleId, action: "kept", detail: windowOf(existing) };
  const written = await unwrap(hf.PUT("/v1/sales/{saleId}", { ...path, body }));
  return { what: sale.saleId, action: existing ? "updated" : "created", detail: windowOf(written) };
}

type SaleView = { name: string; startsAt: string; endsAt: string; status: string; items: Array<Record<string, unknown>> };

function sameSale(existing: SaleView, body: { name: string; startsAt: string; endsAt: string; items: SaleInput["items"] }): boolean {
  if (
    existing.name !== body.name ||
    Date.parse(existing.startsAt) !== Date.parse(body.startsAt) ||
    Date.parse(existing.endsAt) !== Date.parse(body.endsAt)
  )
    return false;
  if (existing.items.length !== body.items.length) return false;
  return body.items.every((item, i) => {
    const have = existing.items[i]!;
    const money = have.price as { amount: number; currency: string };
    return (
      have.sku === item.sku &&
      money.amount === item.price.amount &&
      money.currency === item.price.currency.toLowerCase() &&
      have.perCustomerLimit === item.perCustomerLimit &&
      (have.maxPerOrder ?? undefined) === item.maxPerOrder &&
      (have.holdSeconds ?? undefined) === item.holdSeconds &&
      (have.paymentSeconds ?? undefined) === item.paymentSeconds &&
      (have.holdsPerMinute ?? undefined) === item.holdsPerMinute
    );
  });
}

function windowOf(s: { status: string; startsAt: string; endsAt: string }): string {
  return `${s.status}, ${s.startsAt} .. ${s.endsAt}`;
}
