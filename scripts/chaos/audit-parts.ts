/**
 * Pieces of the final audit: what a hold's status may be, the holds in the
 * SKUs' audit streams that no client heard of, and the chains' verification.
 */
import type { Client } from "./client.ts";
import type { HoldRecord } from "./ledger.ts";
import { CATALOG } from "./load.ts";
import { getJson, type ServerOrder } from "./settle.ts";

type Note = (figure: string, text: string) => void;

export const LIVE = new Set(["held", "checkout"]);
export const SOLD = new Set(["committed", "returned"]);
/** Orders whose holds were committed because their payment succeeded. */
export const PAID = new Set(["paid", "fulfilled", "refunded", "cancelled"]);
/** Clock slack around a hold's deadline (the alarm is exact to a second or two). */
const SLACK_MS = 3_000;

/** The statuses a hold may have now, given what its owner did and what became of its order. */
export function expected(
  h: HoldRecord,
  order: ServerOrder | undefined,
  now: number,
  ownDeadlineMs: number,
): { allowed: string[]; mustBeLive: boolean } {
  const byDeadline = (deadlineMs: number, live: string) =>
    now < deadlineMs - SLACK_MS
      ? { allowed: [live], mustBeLive: true }
      : now > deadlineMs + SLACK_MS
        ? { allowed: ["expired"], mustBeLive: false }
        : { allowed: [live, "expired"], mustBeLive: false };
  switch (h.fate) {
    case "unknown":
      return { allowed: ["held", "checkout", "committed", "released", "expired", "returned"], mustBeLive: false };
    case "released":
      return { allowed: [h.releasedAs ?? "released"], mustBeLive: false };
    case "refused":
      // A refused checkout of several holds releases the ones it had moved.
      return { allowed: ["held", "expired", "released"], mustBeLive: false };
    case "open":
      return byDeadline(h.expiresAtMs, "held");
    case "checkout":
      if (!order) return { allowed: [], mustBeLive: true };
      switch (order.status) {
        case "paid":
        case "fulfilled":
          return { allowed: ["committed"], mustBeLive: false };
        case "refunded":
          return order.refund?.reason === "late_payment"
            ? { allowed: ["committed", "returned", "released", "expired"], mustBeLive: false }
            : { allowed: ["committed", "returned"], mustBeLive: false };
        case "cancelled":
          return { allowed: ["released", "expired"], mustBeLive: false };
        case "payment_failed": {
          // A declined order keeps its holds in checkout for a retry until its deadline; then the
          // object's alarm expires them or the deadline job voids them, whichever runs first.
          const deadlineMs = Date.parse(order.expiresAt);
          return now < deadlineMs - SLACK_MS
            ? { allowed: ["checkout"], mustBeLive: true }
            : { allowed: ["checkout", "released", "expired"], mustBeLive: false };
        }
        case "expired":
          // An order lapses at its earliest hold's deadline; its other holds keep their own.
          return { allowed: ["released", "expired", ...(ownDeadlineMs > now ? ["checkout"] : [])], mustBeLive: false };
        default:
          return byDeadline(Date.parse(order.expiresAt), "checkout");
      }
  }
}

/**
 * Holds in the SKUs' audit streams that no client was told of and that sat on
 * stock: still held, or held until they expired. Such a hold was made by a
 * request whose client got a refusal (or nothing); a refused checkout's own
 * holds are released at once and do not count.
 */
export async function orphanHolds(
  client: Client,
  admin: string,
  known: ReadonlySet<string>,
  note: Note,
): Promise<{ holds: number; units: number; seen: number }> {
  const out = { holds: 0, units: 0, seen: 0 };
  for (const { sku } of CATALOG) {
    const last = new Map<string, { type: string; customerId: string; quantity: number }>();
    await eachEvent(client, admin, `sku:${sku}`, (e) => {
      const hold = e.data?.hold;
      if (!e.type.startsWith("hold.") || typeof hold?.holdId !== "string") return;
      last.set(hold.holdId, { type: e.type, customerId: hold.customerId, quantity: hold.quantity });
    });
    out.seen += last.size;
    for (const [holdId, h] of last) {
      if (known.has(holdId) || !["hold.created", "hold.expired"].includes(h.type)) continue;
      out.holds++;
      out.units += h.quantity;
      note(
        "orphanHolds",
        `${holdId} (${h.customerId}, qty ${h.quantity}) ${h.type === "hold.created" ? "still held" : "held until it expired"}; no client was told of it`,
      );
    }
  }
  return out;
}

/** GET /v1/audit/verify, following `nextCursor` while a page is incomplete (bounded). */
export async function verifyChains(client: Client, admin: string, note: Note): Promise<{ ok: boolean; pages: unknown[] }> {
  const pages: unknown[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 20; page++) {
    const path: string = `/v1/audit/verify${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await getJson(client, { path, token: admin });
    pages.push(res?.body ?? null);
    // A page that stops at its bound says ok: false with complete: false and a cursor; only a bad event, or a
    // complete answer that is not ok, is a failure.
    const unfinished = res?.status === 200 && res.body.complete === false && !res.body.firstBadEvent && res.body.nextCursor;
    if (res?.status !== 200 || (res.body.ok !== true && !unfinished)) {
      note("auditVerifyOk", JSON.stringify(res?.body ?? "no answer").slice(0, 300));
      return { ok: false, pages };
    }
    cursor = res.body.complete === false ? res.body.nextCursor : null;
    if (!cursor) break;
  }
  return { ok: true, pages };
}

/** Every event of one audit stream, page by page (bounded). */
async function eachEvent(client: Client, admin: string, stream: string, fn: (e: { type: string; data: any }) => void): Promise<void> {
  let cursor: string | null = null;
  for (let page = 0; page < 500; page++) {
    const path: string = `/v1/audit?stream=${encodeURIComponent(stream)}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await getJson(client, { path, token: admin });
    if (res?.status !== 200) throw new Error(`GET ${path} -> ${res?.status ?? "no answer"}`);
    for (const e of res.body.data) fn(e);
    cursor = res.body.nextCursor;
    if (!cursor) return;
  }
}

export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
