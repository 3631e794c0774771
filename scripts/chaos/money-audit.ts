/**
 * The money audit: the fake Stripe's ledger (every intent, every refund)
 * against the orders the service holds. It counts from the provider's side,
 * so a refund the service believes it made, or a charge it never heard of,
 * shows up here whatever the orders say.
 */
import type { ServerOrder } from "./settle.ts";
import type { FakeStripeServer } from "./stripe-server.ts";

export interface MoneyInvariants {
  /** Succeeded, unrefunded charges beyond the one a paid or fulfilled order keeps. */
  double_charges: number;
  /** Succeeded, unrefunded charges whose order does not keep the money (not paid or fulfilled, or missing). */
  unrefunded_late_payments: number;
  /** Orders that say their refund succeeded with no such refund in the provider's ledger. */
  refunds_without_money: number;
}

type Customer = { orders: number; paidOrders: number; charges: number; refunds: number; kept: number };

export function moneyAudit(
  orders: readonly ServerOrder[],
  stripe: FakeStripeServer,
): { invariants: MoneyInvariants; info: Record<string, unknown>; examples: Record<string, string[]> } {
  const examples: Record<string, string[]> = {};
  const note = (figure: keyof MoneyInvariants, text: string) => {
    const list = examples[figure] ?? [];
    examples[figure] = list;
    if (list.length < 5) list.push(text);
  };
  const inv: MoneyInvariants = { double_charges: 0, unrefunded_late_payments: 0, refunds_without_money: 0 };
  const refunded = new Set(stripe.refunds.map((r) => r.payment_intent));
  const refundIds = new Set(stripe.refunds.map((r) => r.id));
  const customers: Record<string, Customer> = {};
  const customer = (id: string): Customer => {
    customers[id] ??= { orders: 0, paidOrders: 0, charges: 0, refunds: 0, kept: 0 };
    return customers[id];
  };

  const charges = new Map<string, string[]>();
  for (const intent of stripe.intents.values()) {
    if (intent.status !== "succeeded") continue;
    const orderId = intent.metadata.orderId ?? "(none)";
    const c = customer(intent.metadata.customerId ?? "(none)");
    c.charges++;
    if (refunded.has(intent.id)) c.refunds++;
    else {
      c.kept++;
      charges.set(orderId, [...(charges.get(orderId) ?? []), intent.id]);
    }
  }
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  for (const o of orders) {
    const c = customer(o.customerId);
    c.orders++;
    if (o.status === "paid" || o.status === "fulfilled") c.paidOrders++;
    if (o.refund?.status === "succeeded" && (o.refund.refundId === null || !refundIds.has(o.refund.refundId))) {
      inv.refunds_without_money++;
      note(
        "refunds_without_money",
        `${o.orderId} ${o.status}, refund ${o.refund.refundId ?? "null"} (${o.refund.reason}) not in Stripe's ledger`,
      );
    }
  }
  for (const [orderId, kept] of charges) {
    const o = byId.get(orderId);
    const keeps = o !== undefined && (o.status === "paid" || o.status === "fulfilled") ? 1 : 0;
    if (keeps === 1 && kept.length > 1) {
      inv.double_charges += kept.length - 1;
      note("double_charges", `${orderId} ${o!.status}: ${kept.length} unrefunded charges ${kept.join(", ")}`);
    }
    if (keeps === 0) {
      inv.unrefunded_late_payments += kept.length;
      note("unrefunded_late_payments", `${orderId} ${o?.status ?? "missing"}: unrefunded ${kept.join(", ")}`);
    }
  }
  const paidWithoutCharge = orders.filter((o) => (o.status === "paid" || o.status === "fulfilled") && !charges.has(o.orderId)).length;
  return {
    invariants: inv,
    examples,
    info: {
      stripe: {
        intents: stripe.intents.size,
        succeeded: [...stripe.intents.values()].filter((i) => i.status === "succeeded").length,
        refunds: stripe.refunds.length,
        faults: stripe.faults,
        webhooks: stripe.webhooks,
      },
      paidWithoutCharge,
      customers,
    },
  };
}
