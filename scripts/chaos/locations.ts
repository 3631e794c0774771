/**
 * Stock in several places during the crash test (spec §11, issue 19): one SKU
 * of the catalog stocks three locations, and the merchant moves its units
 * between them with two-phase transfers (created, received in part or in
 * full, cancelled), every step keyed, across the runtime's kills. The final
 * audit checks each transfer's books and that every acknowledged receipt
 * counted exactly once.
 */
import type { Api } from "../dev/api.ts";
import type { Request } from "./client.ts";
import { run, type Actor } from "./load.ts";
import type { rng } from "./random.ts";

export const LOCATED_SKU = "chaos-mug";
export const PLACES = ["default", "chaos-east", "chaos-west"] as const;

/** Registers the two warehouses and stocks them: the SKU's units so far become location `default`'s. */
export async function stockLocations(api: Api, admin: string): Promise<void> {
  for (const p of PLACES.slice(1)) {
    await api.expect([200, 201], "PUT", `/v1/locations/${p}`, { token: admin, body: { name: p, country: "DE" } });
  }
  for (const p of PLACES.slice(1)) {
    await api.expect([200, 201], "PUT", `/v1/skus/${LOCATED_SKU}/locations/${p}`, { token: admin, body: {} });
  }
}

type Rng = ReturnType<typeof rng>;

/** One merchant move of the located SKU's stock: a new transfer, a receipt, or a cancel. */
export async function transferStep(a: Actor, r: Rng, admin: string, key: (what: string) => string): Promise<void> {
  const open = [...a.ledger.transfers.entries()].filter(([, t]) => !t.cancelled && t.receipts < t.quantity);
  const p = r.next();
  if (open.length === 0 || p < 0.3) {
    const view = await run(a, "merchant_view", { method: "GET", path: `/v1/skus/${LOCATED_SKU}`, token: admin });
    const places: Array<{ location: string; onHand: number; reserved: number }> = view?.status === 200 ? (view.body.locations ?? []) : [];
    const from = places.filter((l) => l.onHand - l.reserved > 0).sort((x, y) => y.onHand - y.reserved - (x.onHand - x.reserved))[0];
    if (!from) return;
    const to = r.pick(PLACES.filter((l) => l !== from.location));
    const quantity = r.int(1, Math.max(1, Math.min(10, from.onHand - from.reserved)));
    const body = { sku: LOCATED_SKU, from: from.location, to, quantity };
    const req: Request = { method: "POST", path: "/v1/transfers", token: admin, body, key: key("transfer") };
    await run(a, "transfer_create", req, (s, b) => {
      if (s === 201) a.ledger.transfers.set(b.transferId, { quantity, receipts: 0, cancelled: false });
    });
    return;
  }
  const [id, t] = r.pick(open);
  if (p < 0.85) {
    const left = t.quantity - t.receipts;
    const units = r.chance(0.5) ? left : r.int(1, left);
    const req: Request = {
      method: "POST",
      path: `/v1/transfers/${id}/receive`,
      token: admin,
      body: { quantity: units },
      key: key("receive"),
    };
    await run(a, "transfer_receive", req, (s) => {
      if (s === 200) t.receipts += units;
    });
  } else {
    const req: Request = { method: "POST", path: `/v1/transfers/${id}/cancel`, token: admin, key: key("cancel") };
    await run(a, "transfer_cancel", req, (s) => {
      if (s === 200) t.cancelled = true;
    });
  }
}

/** What the audit says of the transfers: broken books, and receipts acknowledged but not counted once. */
export function auditTransfers(
  listed: Array<{ transferId: string; quantity: number; received: number; cancelled: number; inTransit: number; status: string }>,
  acked: ReadonlyMap<string, { quantity: number; receipts: number; cancelled: boolean }>,
  locations: Array<{ location: string; inTransit: number }>,
): { books: string[]; receipts: string[]; info: Record<string, number> } {
  const books: string[] = [];
  const receipts: string[] = [];
  for (const t of listed) {
    if (t.received + t.cancelled + t.inTransit !== t.quantity || (t.status === "in_transit") !== t.inTransit > 0) {
      books.push(`${t.transferId}: ${JSON.stringify(t)}`);
    }
    const mine = acked.get(t.transferId);
    // Every acknowledged receipt counted once: the service may have received more (a receipt whose answer a kill lost), never fewer.
    if (mine && t.received < mine.receipts) receipts.push(`${t.transferId}: acknowledged ${mine.receipts} received, holds ${t.received}`);
    if (mine?.cancelled && t.status !== "cancelled") receipts.push(`${t.transferId}: cancel acknowledged, reads ${t.status}`);
  }
  for (const id of acked.keys()) if (!listed.some((t) => t.transferId === id)) books.push(`${id}: acknowledged, not listed`);
  for (const l of locations) {
    const open = listed.filter((t) => t.status === "in_transit" && fromOf(t) === l.location).reduce((n, t) => n + t.inTransit, 0);
    if (open !== l.inTransit) books.push(`${l.location}: inTransit ${l.inTransit} != open transfers ${open}`);
  }
  return {
    books,
    receipts,
    info: {
      transfers: listed.length,
      received: listed.filter((t) => t.status === "received").length,
      cancelled: listed.filter((t) => t.status === "cancelled").length,
      inTransit: listed.filter((t) => t.status === "in_transit").length,
    },
  };
}

function fromOf(t: object): string {
  return (t as { from: string }).from;
}
