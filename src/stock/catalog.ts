import type { Refusal } from "../domain/problems";
import type { Routing } from "../domain/locations";
import type { MerchantWrite, SaleRule, SkuConfig, SkuSnapshot } from "../domain/types";
import { levelsAt, locatedAvailable } from "./locations";
import { levelsAfter, staleVersion } from "./stocking";
import { featuredSale, iso, priceOfOffer, resolveOffer, skuStatus } from "./offer";
import { levelsOf, priceOf, type SkuRow } from "./rows";
import type { SkuTables } from "./tables";
import { servedHolds } from "./shards/fences";

/**
 * What the merchant configures on a SKU's object: its name, list price and
 * alwaysOn flag, and the terms of each sale it is in. No stock moves here
 * (that is SkuLedger's), but every change is a transaction with its event.
 */
export class SkuCatalog {
  constructor(private readonly tables: SkuTables) {}

  /**
   * The merchant's settings, on the SKU's own object (`shard` null) or, as
   * that object pushes them, on one of its stock shards.
   */
  configure(
    sku: string,
    config: SkuConfig,
    now_ms: number,
    shard: number | null = null,
    pushedHistory: readonly number[] | null = null,
    pushedEpoch: number | null = null,
    write: MerchantWrite = {},
  ): { created: boolean; snapshot: SkuSnapshot } | Refusal {
    return this.tables.tx(() => {
      const before = this.tables.sku();
      const created = before === null;
      const stale = staleVersion(before, write.ifMatch);
      if (stale) return stale;
      // A push older than the settings this shard already has (a re-push overtaken by a newer one) changes nothing.
      if (before && pushedEpoch !== null && pushedEpoch < before.shard_epoch) {
        return { created, snapshot: snapshotOf(this.tables, before, now_ms) };
      }
      // Every count the SKU had before this one: customers who moved shards carry their usage along.
      const history = pushedHistory ?? historyAfter(before, config.shards, () => servedHolds(this.tables, sku));
      const countChanged = before !== null && config.shards !== undefined && config.shards !== before.shards;
      const epoch = pushedEpoch ?? (before ? before.shard_epoch + (countChanged ? 1 : 0) : 0);
      this.tables.sql.exec(
        `INSERT INTO sku (id, sku, name, price_amount, currency, always_on, shards, shard_index, shard_span, shard_history, shard_epoch,
           created_at_ms, updated_at_ms, version, routing, split)
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, COALESCE(?, 'nearest'), COALESCE(?, 0))
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, price_amount = excluded.price_amount,
           currency = excluded.currency, always_on = excluded.always_on, shards = COALESCE(?, shards),
           shard_span = MAX(shard_span, COALESCE(?, shard_span)), shard_history = excluded.shard_history,
           shard_epoch = MAX(shard_epoch, excluded.shard_epoch), updated_at_ms = excluded.updated_at_ms,
           version = version + 1, routing = COALESCE(?, routing), split = COALESCE(?, split)`,
        sku,
        config.name,
        config.price.amount,
        config.price.currency,
        config.alwaysOn ? 1 : 0,
        config.shards ?? 1,
        shard,
        config.shards ?? 1,
        JSON.stringify(history),
        epoch,
        now_ms,
        now_ms,
        config.routing ?? null,
        splitOf(config),
        config.shards ?? null,
        config.shards ?? null,
        config.routing ?? null,
        splitOf(config),
      );
      this.tables.forgetLevels();
      const after = this.tables.checkedSku();
      // A located SKU's write moves its version: the global view hears of it in this event, not at the next level change.
      const levels = this.tables.locations.located() ? { levels: levelsAfter(this.tables, after, "all") } : {};
      this.tables.emit(created ? "sku.created" : "sku.updated", now_ms, { sku, ...config, ...(shard !== null && { shard }), ...levels });
      return { created, snapshot: snapshotOf(this.tables, after, now_ms) };
    });
  }

  /** Applies one sale's terms for this SKU, unless this or a newer revision is already here. */
  applySaleRule(rule: SaleRule, now_ms: number): { applied: boolean } {
    return this.tables.tx(() => {
      if (!this.isNewer(rule.saleId, rule.revision)) return { applied: false };
      this.tables.upsertRule(rule);
      this.tables.emit("sale_rule.applied", now_ms, { ...rule });
      return { applied: true };
    });
  }

  removeSaleRule(saleId: string, revision: number, now_ms: number): { applied: boolean } {
    return this.tables.tx(() => {
      if (!this.isNewer(saleId, revision)) return { applied: false };
      this.tables.tombstoneRule(saleId, revision);
      this.tables.emit("sale_rule.removed", now_ms, { saleId, revision });
      return { applied: true };
    });
  }

  private isNewer(saleId: string, revision: number): boolean {
    const current = this.tables.ruleRevision(saleId);
    return current === null || revision > current;
  }
}

/** The SKU as the API shows it at `now_ms`: levels, and the status a hold taken now would meet. */
export function snapshotOf(tables: SkuTables, sku: SkuRow, now_ms: number): SkuSnapshot {
  const rules = tables.saleRules();
  const rows = tables.locations.located() ? tables.locations.rows() : null;
  const levels = levelsOf(sku, rows && locatedAvailable(rows));
  const decision = resolveOffer(rules, priceOf(sku), sku.always_on === 1, now_ms);
  return {
    sku: sku.sku,
    name: sku.name,
    price: priceOf(sku),
    alwaysOn: sku.always_on === 1,
    status: skuStatus(decision, levels.available),
    currentPrice: priceOfOffer(decision),
    sale: featuredSale(rules, now_ms),
    levels,
    liveHolds: sku.live_holds,
    shards: sku.shards,
    updatedAt: iso(sku.updated_at_ms),
    version: sku.version,
    routing: sku.routing as Routing,
    split: sku.split === 1,
    ...(rows && { locations: rows.map(levelsAt) }),
  };
}

function splitOf(config: SkuConfig): number | null {
  return config.split === undefined ? null : config.split ? 1 : 0;
}

/**
 * The counts a SKU had before `next` under which an object may have served a
 * customer (unchanged when the count does not change). The SKU's own object
 * is the only home under a count of 1, so that count enters only if it served
 * a hold (`servedPool`): a SKU sharded before its sale has no earlier home.
 */
function historyAfter(before: SkuRow | null, next: number | undefined, servedPool: () => boolean): number[] {
  const had: number[] = before ? (JSON.parse(before.shard_history) as number[]) : [];
  if (!before || next === undefined || next === before.shards || had.includes(before.shards)) return had;
  if (before.shards <= 1 && !servedPool()) return had;
  return [...had, before.shards];
}
