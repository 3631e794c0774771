import { refuse, type ProblemCode, type Refusal } from "../domain/problems";
import type { Money, SaleRule, SaleState, SaleSummary, SkuStatus } from "../domain/types";

/** What a hold taken now would be priced and limited by. */
export type Offer = { kind: "sale"; rule: SaleRule } | { kind: "list"; price: Money };

export type OfferDecision = { ok: true; offer: Offer } | Refusal;

/** The sales of one SKU as seen at one instant. */
interface SaleWindows {
  /** The live sale of highest priority, then the one that started last (so a flash sale nested in a long one takes over). */
  live: SaleRule | undefined;
  /** The next sale to start. */
  next: SaleRule | undefined;
  /** The sale that ended last. */
  ended: SaleRule | undefined;
}

/** What decides between two live sales of a SKU; the edge decides the same way (src/waiting-room/admission.ts). */
export type Ranked = Pick<SaleRule, "saleId" | "startsAtMs" | "priority">;

/**
 * Whether live sale `a` prices the SKU rather than live sale `b`: the higher
 * priority (none counts as below 0), then the later start, then the greater
 * sale id, so the choice never depends on the order rules were stored in.
 */
export function outranks(a: Ranked, b: Ranked): boolean {
  const pa = a.priority ?? -1;
  const pb = b.priority ?? -1;
  if (pa !== pb) return pa > pb;
  if (a.startsAtMs !== b.startsAtMs) return a.startsAtMs > b.startsAtMs;
  return a.saleId > b.saleId;
}

function windowsAt(rules: readonly SaleRule[], now_ms: number): SaleWindows {
  const w: SaleWindows = { live: undefined, next: undefined, ended: undefined };
  for (const rule of rules) {
    if (rule.startsAtMs <= now_ms && now_ms < rule.endsAtMs) {
      if (!w.live || outranks(rule, w.live)) w.live = rule;
    } else if (rule.startsAtMs > now_ms) {
      if (!w.next || rule.startsAtMs < w.next.startsAtMs) w.next = rule;
    } else if (!w.ended || rule.endsAtMs > w.ended.endsAtMs) {
      w.ended = rule;
    }
  }
  return w;
}

/**
 * Chooses the terms for a hold at `now_ms` (spec §4): a live sale wins;
 * otherwise the list price when the SKU is `alwaysOn`; otherwise the refusal
 * that tells the shopper why.
 */
export function resolveOffer(rules: readonly SaleRule[], listPrice: Money, alwaysOn: boolean, now_ms: number): OfferDecision {
  const { live, next, ended } = windowsAt(rules, now_ms);
  if (live) return { ok: true, offer: { kind: "sale", rule: live } };
  if (alwaysOn) return { ok: true, offer: { kind: "list", price: listPrice } };
  if (next) return saleNotStarted(summarize(next, "upcoming"));
  if (ended) return saleEnded(summarize(ended, "ended"));
  return notOnSale();
}

/*
 * The refusals that depend on the SKU alone, not on who asks. The edge gives
 * them from a cached view without calling the object, so both build them here
 * and a shopper gets the same problem either way.
 */
/**
 * Refusals that do not depend on the shopper or the request: the edge may
 * repeat them to everyone for a short while (the sold-out cut).
 */
const VERDICTS: ReadonlySet<ProblemCode> = new Set(["sold_out", "sale_not_started", "sale_ended", "not_on_sale", "not_found"]);

export function isVerdict(code: ProblemCode): boolean {
  return VERDICTS.has(code);
}

export function saleNotStarted(sale: Pick<SaleSummary, "saleId" | "name" | "startsAt">): Refusal {
  return refuse("sale_not_started", `The sale "${sale.name}" starts at ${sale.startsAt}.`, {
    saleId: sale.saleId,
    startsAt: sale.startsAt,
  });
}

export function saleEnded(sale: Pick<SaleSummary, "saleId" | "name" | "endsAt">): Refusal {
  return refuse("sale_ended", `The sale "${sale.name}" ended at ${sale.endsAt}.`, { saleId: sale.saleId, endsAt: sale.endsAt });
}

export function notOnSale(): Refusal {
  return refuse("not_on_sale", "This SKU is in no live sale and is not sold at list price.");
}

export function soldOut(): Refusal {
  return refuse("sold_out", "Every unit is sold or held.", { available: 0 });
}

/** The public status of a SKU (spec §6), from the same decision a hold would make. */
export function skuStatus(decision: OfferDecision, available: number): SkuStatus {
  if (decision.ok) return available > 0 ? "live" : "sold_out";
  switch (decision.code) {
    case "sale_not_started":
      return "upcoming";
    case "sale_ended":
      return "ended";
    default:
      return "off_sale";
  }
}

/** The price a hold would get under `decision`: the live sale's, else the list price; null when it would be refused. */
export function priceOfOffer(decision: OfferDecision): Money | null {
  if (!decision.ok) return null;
  return decision.offer.kind === "sale" ? decision.offer.rule.price : decision.offer.price;
}

/**
 * The sale a shopper should see beside the SKU: the live one (the one a hold
 * is priced by), else the next, else the last, with its `state`, so a page
 * shows an upcoming or ended sale's price as information, never as the price.
 */
export function featuredSale(rules: readonly SaleRule[], now_ms: number): SaleSummary | null {
  const { live, next, ended } = windowsAt(rules, now_ms);
  if (live) return summarize(live, "live");
  if (next) return summarize(next, "upcoming");
  return ended ? summarize(ended, "ended") : null;
}

/**
 * The next instant after `now_ms` at which a sale of this SKU starts or ends:
 * the status and the price a hold gets change then without any request, so
 * the object wakes to push the change to its watchers.
 */
export function nextSaleEdgeMs(rules: readonly SaleRule[], now_ms: number): number | null {
  let next: number | null = null;
  for (const rule of rules) {
    for (const edge of [rule.startsAtMs, rule.endsAtMs]) if (edge > now_ms && (next === null || edge < next)) next = edge;
  }
  return next;
}

function summarize(rule: SaleRule, state: SaleState): SaleSummary {
  return {
    saleId: rule.saleId,
    state,
    name: rule.name,
    startsAt: iso(rule.startsAtMs),
    endsAt: iso(rule.endsAtMs),
    price: rule.price,
    perCustomerLimit: rule.perCustomerLimit,
    maxPerOrder: rule.maxPerOrder,
  };
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
