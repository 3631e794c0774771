import type { Api } from "./api.ts";

/** Demo data for a fresh dev server, created through the public API like a merchant would. */
export const DEMO = {
  skus: [
    { sku: "demo-tee", name: "Demo tee", price: { amount: 2500, currency: "usd" }, alwaysOn: false, stock: 100 },
    { sku: "demo-mug", name: "Demo mug", price: { amount: 1200, currency: "usd" }, alwaysOn: true, stock: 50 },
  ],
  sale: {
    saleId: "demo-sale",
    name: "Demo flash sale",
    days: 30,
    items: [{ sku: "demo-tee", price: { amount: 1900, currency: "usd" }, perCustomerLimit: 2, maxPerOrder: 2 }],
  },
} as const;

export interface SeedLine {
  what: string;
  action: "created" | "kept";
  detail: string;
}

/**
 * Creates whatever part of the demo is missing and leaves the rest alone, so
 * restarting `npm run dev` never restocks twice nor overwrites a merchant's
 * edits. Each SKU is restocked only in the run that creates it; the restock
 * also carries an Idempotency-Key, so a retried request is applied once.
 */
export async function seedDemo(api: Api, adminToken: string, now_ms: number): Promise<SeedLine[]> {
  const lines: SeedLine[] = [];
  const auth = { token: adminToken };
  for (const { stock, sku, ...config } of DEMO.skus) {
    const existing = await api.expect([200, 404], "GET", `/v1/skus/${sku}`, auth);
    if (existing.status === 200) {
      lines.push({ what: sku, action: "kept", detail: levelsOf(existing.body) });
      continue;
    }
    await api.expect([200, 201], "PUT", `/v1/skus/${sku}`, { ...auth, body: config });
    const restock = await api.expect([200], "POST", `/v1/skus/${sku}/adjustments`, {
      ...auth,
      headers: { "idempotency-key": `dev-seed-${sku}` },
      body: { delta: stock, reason: "restock", reference: "npm run dev demo seed" },
    });
    lines.push({ what: sku, action: "created", detail: levelsOf(restock.body.levels) });
  }

  const { saleId, name, days, items } = DEMO.sale;
  const sale = await api.expect([200, 404], "GET", `/v1/sales/${saleId}`);
  if (sale.status === 200) {
    lines.push({ what: saleId, action: "kept", detail: windowOf(sale.body) });
  } else {
    const created = await api.expect([200, 201], "PUT", `/v1/sales/${saleId}`, {
      ...auth,
      body: {
        name,
        // A minute in the past, so the sale is live at once even if clocks differ slightly.
        startsAt: new Date(now_ms - 60_000).toISOString(),
        endsAt: new Date(now_ms + days * 86_400_000).toISOString(),
        items,
      },
    });
    lines.push({ what: saleId, action: "created", detail: windowOf(created.body) });
  }
  return lines;
}

function levelsOf(l: { onHand: number; reserved: number; available: number; sold: number }): string {
  return `onHand ${l.onHand}, reserved ${l.reserved}, available ${l.available}, sold ${l.sold}`;
}

function windowOf(s: { status: string; startsAt: string; endsAt: string }): string {
  return `${s.status}, ${s.startsAt} .. ${s.endsAt}`;
}
