/**
 * After the load: ask once more about every request that never got a
 * definite answer (same key), then wait, bounded, for queued payments,
 * expiries and the objects' audit shipping to drain.
 */
import type { Client, Request } from "./client.ts";
import type { Ledger } from "./ledger.ts";
import { sleep } from "./runtime.ts";
import { CATALOG } from "./load.ts";

export interface ServerOrder {
  orderId: string;
  customerId: string;
  status: string;
  items: Array<{ sku: string; quantity: number; holdId: string }>;
  payment: { provider: string; status: string | null };
  refund: { refundId: string | null; reason: string | null; restocked: boolean; status?: string } | null;
  expiresAt: string;
  createdAt: string;
}

/** Every order the service has, from the merchant's list (bounded pages). */
export async function listOrders(client: Client, admin: string): Promise<ServerOrder[] | null> {
  const out: ServerOrder[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const path: string = `/v1/orders?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const res = await client.send({ method: "GET", path, token: admin }, { attempts: 6, ms: 60_000 });
    if (!res.definite || res.answer.status !== 200) return null;
    out.push(...(res.answer.body.data as ServerOrder[]));
    cursor = res.answer.body.nextCursor;
    if (!cursor) return out;
  }
  return out;
}

export async function getJson(client: Client, req: Omit<Request, "method">): Promise<{ status: number; body: any } | null> {
  const res = await client.send({ method: "GET", ...req }, { attempts: 6, ms: 60_000 });
  return res.definite ? { status: res.answer.status, body: res.answer.body } : null;
}

/** Retries every unresolved request once more (the runtime is up and stays up now). */
export async function resolveUnresolved(client: Client, ledger: Ledger): Promise<{ resolved: number; still: number }> {
  const pending = ledger.unresolved.splice(0);
  let resolved = 0;
  for (const u of pending) {
    const res = await client.send(u.req, { attempts: 6, ms: 60_000 });
    if (res.definite) {
      resolved++;
      const byKind = ledger.ops[`${u.kind}_at_audit`] ?? {};
      ledger.ops[`${u.kind}_at_audit`] = byKind;
      const outcome = `${res.answer.status}${res.answer.code ? ` ${res.answer.code}` : ""}`;
      byKind[outcome] = (byKind[outcome] ?? 0) + 1;
      u.resolve(res.answer.status, res.answer.body);
    } else {
      ledger.unresolved.push(u);
    }
  }
  return { resolved, still: ledger.unresolved.length };
}

export interface Settled {
  waitedMs: number;
  /** What the first look found still moving: payments, refunds and stale views (how much the load left to settle). */
  waitingAtStart: number;
  /** Still pending_payment with nothing left to move them but their deadline. */
  pending: number;
  drained: boolean;
}

/**
 * Waits until no order waits on a payment that can still come, no refund is
 * half-done, and D1's inventory view has caught up with the objects; at most
 * `maxMs`. An order past its deadline waits for nothing; one made before a
 * kill may have lost its payment job (local queues live in workerd's memory).
 */
export async function settle(client: Client, admin: string, lastKillMs: number, maxMs: number, log: (s: string) => void): Promise<Settled> {
  const t0 = Date.now();
  const deadline = t0 + maxMs;
  let pending = 0;
  let drained = false;
  let round = 0;
  let waitingAtStart = 0;
  // Alarms ship audit events about half a second after a change; give them a moment first.
  await sleep(2_000);
  while (Date.now() < deadline && !client.aborted) {
    round++;
    const orders = (await listOrders(client, admin)) ?? [];
    const now = Date.now();
    const waiting: string[] = [];
    pending = 0;
    for (const o of orders) {
      if (o.refund?.status === "pending") waiting.push(`${o.orderId} refund pending`);
      if (o.status !== "pending_payment") continue;
      pending++;
      // Past its deadline nothing more is coming: the order reads as expired and its holds lapse.
      if (Date.parse(o.expiresAt) <= now) continue;
      // The payment's own status says what it waits on: a charge not yet made (null), the shopper (requires_action)...
      if (!mayHaveLostItsJob(o, lastKillMs)) waiting.push(`${o.orderId} awaiting payment (${o.payment.status ?? "no charge yet"})`);
    }
    const stale = await inventoryStale(client, admin);
    if (stale.length > 0) waiting.push(...stale);
    if (round === 1) waitingAtStart = waiting.length;
    if (waiting.length === 0) {
      drained = true;
      break;
    }
    if (round % 5 === 1) log(`settling: ${waiting.length} to go (${waiting.slice(0, 3).join(", ")}${waiting.length > 3 ? ", ..." : ""})`);
    await sleep(1_000);
  }
  return { waitedMs: Date.now() - t0, waitingAtStart, pending, drained };
}

/**
 * Local queues keep their messages in workerd's memory, so a kill loses the
 * payment jobs of orders made before it; a retry of the checkout queues the
 * job again only if its reply was not stored yet. Such an order waits for its
 * deadline (it is not paid, its holds expire, reads expire it). An order made
 * after the last kill has no such excuse.
 */
export function mayHaveLostItsJob(o: ServerOrder, lastKillMs: number): boolean {
  return Date.parse(o.createdAt) < lastKillMs;
}

/** SKUs whose D1 inventory row differs from the object's own levels. */
export async function inventoryStale(client: Client, admin: string): Promise<string[]> {
  const list = await getJson(client, { path: "/v1/skus?limit=200", token: admin });
  if (list?.status !== 200) return ["inventory list unavailable"];
  const stale: string[] = [];
  for (const { sku } of CATALOG) {
    const view = await getJson(client, { path: `/v1/skus/${sku}`, token: admin });
    const row = (list.body.data as any[]).find((r) => r.sku === sku);
    if (view?.status !== 200 || !row) {
      stale.push(`${sku} missing`);
      continue;
    }
    for (const f of ["onHand", "reserved", "sold", "received", "returned"] as const) {
      // `returned` is new: compare it only where both sides have it.
      if (f === "returned" && (row[f] === undefined || view.body[f] === undefined)) continue;
      if (row[f] !== view.body[f]) {
        stale.push(`${sku} inventory ${f} ${row[f]} vs object ${view.body[f]}`);
        break;
      }
    }
  }
  return stale;
}
