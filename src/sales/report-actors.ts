import { z } from "zod";
import { MerchantActor } from "../domain/roles";
import { orderStream } from "../audit/chain";
import { parseJsonOrNull } from "../platform/json";
import type { ReplayEvent } from "./replay";

/** Bounds of the report's actors (every loop has one). */
export const ACTORS = {
  /** Merchant actions listed; past it the list is cut and `actionsComplete` is false. */
  max_actions: 1_000,
  /** The sale's orders whose streams are read for merchant actions. */
  max_orders: 2_000,
  /** Streams per D1 query: D1 binds at most 100 parameters. */
  streams_per_query: 90,
} as const;

const ACTIONS = [
  "sale.created",
  "sale.changed",
  "sale.ended",
  "stock.adjusted",
  "order.refund_requested",
  "order.cancelled",
  "order.fulfilled",
] as const;
/** The order events a merchant's key causes (spec §12): each names its actor. */
const ORDER_ACTIONS = ACTIONS.slice(4);

/** One merchant action on the sale, as its audit event names it. */
export const SaleAction = z.object({
  at: z.string(),
  action: z.enum(ACTIONS),
  actor: MerchantActor,
  sku: z.string().optional(),
  orderId: z.string().optional(),
  /** Of a stock adjustment: its delta and reason. */
  units: z.number().int().optional(),
  reason: z.string().optional(),
});
export type SaleAction = z.infer<typeof SaleAction>;

/** A key that acted on the sale, and how many of the actions are its. */
export const SaleActor = z.object({ keyId: z.string(), role: MerchantActor.shape.role, actions: z.number().int() });
export type SaleActor = z.infer<typeof SaleActor>;

const Acted = z.object({ actor: MerchantActor });
const RuleFacts = Acted.extend({ saleId: z.string(), revision: z.number().int(), endsAtMs: z.number() });
const AdjustFacts = Acted.extend({ delta: z.number().int(), reason: z.string().optional() });
const OrderOfHold = z.object({ hold: z.object({ saleId: z.string().nullable(), orderId: z.string().optional() }) });

/**
 * Who did what to one sale (issue 20 item 4), from the `actor` its merchant
 * events carry: the revisions of the sale's terms its SKUs applied (created,
 * changed, ended), the adjustments of its SKUs between the sale's creation and
 * its end, and the refunds, cancels and fulfilments of the orders its holds
 * went into. Fed the SKU events the report replays anyway; the orders' streams
 * are read once at the end.
 */
export class SaleActors {
  private readonly actions: Array<Omit<SaleAction, "at"> & { atMs: number }> = [];
  private readonly revisions = new Set<number>();
  private readonly orders = new Set<string>();
  private complete = true;

  constructor(
    private readonly saleId: string,
    /** When stock adjustments count as the sale's: from its creation to its end. */
    private readonly window: { fromMs: number; toMs: number },
  ) {}

  onSkuEvent(sku: string, e: ReplayEvent): void {
    if (e.type !== "sale_rule.applied" && e.type !== "stock.adjusted" && !e.type.startsWith("hold.")) return;
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch {
      return; // The replay counts it as unreadable.
    }
    if (e.type === "sale_rule.applied") {
      this.onRule(e.atMs, data);
      return;
    }
    if (e.type === "stock.adjusted") {
      const adj = AdjustFacts.safeParse(data);
      if (!adj.success || e.atMs < this.window.fromMs || e.atMs > this.window.toMs) return;
      const { actor, delta, reason } = adj.data;
      this.add({ atMs: e.atMs, action: "stock.adjusted", actor, sku, units: delta, ...(reason && { reason }) });
      return;
    }
    const hold = OrderOfHold.safeParse(data);
    if (!hold.success || hold.data.hold.saleId !== this.saleId || !hold.data.hold.orderId) return;
    if (this.orders.size < ACTORS.max_orders) this.orders.add(hold.data.hold.orderId);
    else if (!this.orders.has(hold.data.hold.orderId)) this.complete = false;
  }

  /** Reads the merchant actions of the sale's orders. */
  async readOrders(d1: D1Database): Promise<void> {
    const streams = [...this.orders].map(orderStream);
    const types = ORDER_ACTIONS.map(() => "?").join(", ");
    type Row = { stream: string; type: string; at_ms: number; data: string };
    for (let i = 0; i < streams.length; i += ACTORS.streams_per_query) {
      const chunk = streams.slice(i, i + ACTORS.streams_per_query);
      const rows = await d1
        .prepare(
          `SELECT stream, type, at_ms, data FROM audit_events
           WHERE stream IN (${chunk.map(() => "?").join(", ")}) AND type IN (${types}) LIMIT ?`,
        )
        .bind(...chunk, ...ORDER_ACTIONS, ACTORS.max_actions + 1)
        .all<Row>();
      for (const r of rows.results) {
        const acted = Acted.safeParse(parseJsonOrNull(r.data));
        const action = ORDER_ACTIONS.find((a) => a === r.type);
        if (!acted.success || !action) continue; // A shopper's cancel, the provider's refund: no merchant acted.
        this.add({ atMs: r.at_ms, action, actor: acted.data.actor, orderId: r.stream.slice(orderStream("").length) });
      }
    }
  }

  /** The actions in time order and each key with its count, in the order it first acted. */
  result(): { actions: SaleAction[]; actors: SaleActor[]; actionsComplete: boolean } {
    const sorted = this.actions.sort((a, b) => a.atMs - b.atMs);
    const actions = sorted.slice(0, ACTORS.max_actions).map(({ atMs, ...a }) => ({ ...a, at: new Date(atMs).toISOString() }));
    const actors = new Map<string, SaleActor>();
    for (const a of actions) {
      const key = `${a.actor.keyId} ${a.actor.role}`;
      const known = actors.get(key) ?? { keyId: a.actor.keyId, role: a.actor.role, actions: 0 };
      known.actions += 1;
      actors.set(key, known);
    }
    return { actions, actors: [...actors.values()], actionsComplete: this.complete && sorted.length <= ACTORS.max_actions };
  }

  /** A revision is applied by every SKU of the sale (and each shard): it is one action. */
  private onRule(atMs: number, data: unknown): void {
    const rule = RuleFacts.safeParse(data);
    if (!rule.success || rule.data.saleId !== this.saleId || this.revisions.has(rule.data.revision)) return;
    this.revisions.add(rule.data.revision);
    const action = rule.data.revision === 1 ? "sale.created" : rule.data.endsAtMs <= atMs ? "sale.ended" : "sale.changed";
    this.add({ atMs, action, actor: rule.data.actor });
  }

  private add(a: Omit<SaleAction, "at"> & { atMs: number }): void {
    // Held past the bound so that `result` can say the list was cut.
    if (this.actions.length <= ACTORS.max_actions) this.actions.push(a);
    else this.complete = false;
  }
}
