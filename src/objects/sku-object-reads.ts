import { SkuObjectCore } from "./sku-object-core";
import { problemResponse } from "../http/problem";
import type { SkuSnapshot } from "../domain/types";
import { viewLevelsHere, type ObjectView } from "../stock/view-levels";
import { LIMITS } from "../stock/ledger";
import { partOf, wholeSnapshot } from "../stock/shards/parts";
import { skuStats, type SkuStats } from "../stock/stats";
import { auditAcrossObjects } from "../stock/stats-audit";
import { addMetricsParts, type SkuMetrics } from "../stock/metrics-part";
import { addActivity, saleActivityHere, type SaleActivity } from "../stock/sale-activity";
import { holdPage, mergeHoldPages, type HoldQuery, type MerchantHold } from "../stock/hold-list";
import type { LocationTransfer, TransferQuery } from "../stock/location-transfers";
import type { Refusal } from "../domain/problems";
import { scopedSnapshot, type LocationScope, type ScopedSnapshot } from "../stock/location-scope";

/** What the SKU's objects answer without changing stock: the SKU as the API and the merchant's tools read it, and as live push shows it. */
export abstract class SkuObjectReads extends SkuObjectCore {
  /** The SKU as the API shows it; a sharded SKU's own object adds up its shards. */
  async snapshot(): Promise<SkuSnapshot | null> {
    this.calls += 1;
    if (!this.schemaReady) return null;
    const snapshot = this.guard(() => this.ledger.snapshot(Date.now()));
    await this.rearm();
    const role = this.escrow.role();
    if (!snapshot || !role || role.shard !== null || role.span <= 1) return snapshot;
    const own = this.guard(() => partOf(this.ledger, this.escrow.poolCalls, false));
    return wholeSnapshot(snapshot, own, await this.escrow.onShards(role, (s) => s.part(false)));
  }

  /** The merchant's view of the SKU; a key scoped to locations (spec §12) sees only theirs, summed. */
  async merchantSnapshot(scope: LocationScope): Promise<ScopedSnapshot | null> {
    const snapshot = await this.snapshot();
    return snapshot && scopedSnapshot(snapshot, scope);
  }

  /**
   * What a merchant watches: the whole SKU's levels and counters, and the
   * audit of the invariants across every object of the SKU (spec §2 and 8).
   */
  async stats(): Promise<SkuStats | null> {
    const snapshot = await this.snapshot();
    const role = snapshot && this.escrow.role();
    if (!snapshot || !role) return null;
    const { counters, escrow } = await auditAcrossObjects(role, this.escrow, () => ({
      counters: this.ledger.counters(),
      part: this.guard(() => partOf(this.ledger, this.escrow.poolCalls, true)),
    }));
    const instance = { startedAt: new Date(this.startedAtMs).toISOString(), calls: this.calls };
    return skuStats(snapshot.sku, snapshot.levels, snapshot.liveHolds, counters, instance, escrow);
  }

  /** One sale's holds and its shoppers' refusals on this SKU (the sale board); a sharded SKU's own object adds its shards'. */
  async saleActivity(saleId: string, since_ms: number, recent_ms: number): Promise<SaleActivity | null> {
    if (!this.schemaReady || !this.ledger.tables.sku()) return null;
    const now_ms = Date.now();
    const own = saleActivityHere(this.ledger.tables, saleId, since_ms, now_ms, recent_ms);
    const shards = await this.escrow.onShards(this.escrow.role(), (s) => s.saleActivity(saleId, since_ms, recent_ms));
    return addActivity([own, ...shards]);
  }

  /** What GET /metrics reads of this SKU: levels, counters, outbox lag and hold service times, its shards' added. */
  async metrics(): Promise<SkuMetrics | null> {
    const snapshot = await this.snapshot();
    if (!snapshot) return null;
    const shards = await this.escrow.onShards(this.escrow.role(), (s) => s.metricsPart());
    return addMetricsParts(snapshot.levels, [this.metricsPart(), ...shards]);
  }

  /** This object's levels, version and shipping head, read-only: what the global view is reconciled against (src/stock/view-levels.ts). */
  async viewLevels(): Promise<ObjectView | null> {
    return this.schemaReady ? viewLevelsHere(this.ledger.tables, Date.now()) : null;
  }

  /** When the oldest event not yet in D1 was made, across the SKU's objects (its shards' too): the global view's lag. */
  async viewLag(): Promise<{ oldestUnshippedAtMs: number | null } | null> {
    const own = this.metricsPart();
    if (!own) return null;
    const shards = await this.escrow.onShards(this.escrow.role(), (s) => s.metricsPart());
    const times = [own, ...shards].map((p) => p?.outbox.oldestAtMs ?? null).filter((t): t is number => t !== null);
    return { oldestUnshippedAtMs: times.length > 0 ? Math.min(...times) : null };
  }

  /** A page of the SKU's holds for the merchant, newest first; null for a SKU nobody created. */
  async listHolds(query: HoldQuery, scope: LocationScope = null): Promise<MerchantHold[] | null> {
    if (!this.schemaReady || !this.ledger.tables.sku()) return null;
    // Overdue holds read as what they are: expired.
    this.guard(() => this.ledger.expireDue(Date.now(), LIMITS.sweep_holds_max));
    await this.rearm();
    const own = holdPage(this.ledger.tables, query, scope);
    const shards = await this.escrow.onShards(this.escrow.role(), async (s) => (await s.listHolds(query, scope)) ?? []);
    return mergeHoldPages([own, ...shards], query.rows);
  }

  /** `forbidden` for a transfer neither end of which is in `scope`. */
  async locationTransfer(transferId: string, scope: LocationScope = null): Promise<LocationTransfer | Refusal | null> {
    return this.schemaReady && this.ledger.tables.sku() ? this.ledger.locationTransfers.get(transferId, scope) : null;
  }

  /** A page of the SKU's transfers, newest first; null for a SKU nobody created. */
  async listLocationTransfers(query: TransferQuery, scope: LocationScope = null): Promise<LocationTransfer[] | null> {
    return this.schemaReady && this.ledger.tables.sku() ? this.ledger.locationTransfers.list(query, scope) : null;
  }

  // --- Live push (spec §10): the one fetch entry, since a WebSocket upgrade can only travel as a request.

  override async fetch(request: Request): Promise<Response> {
    const role = this.knownRole();
    if (!role || role.shard !== null) return problemResponse("not_found", "No such SKU.");
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
      return problemResponse("upgrade_required", "Send Upgrade: websocket.");
    if (!this.live.watching && role.span > 1) {
      // The first watcher: shards start reporting, and the copy of their parts is read afresh.
      this.liveShards.clear();
      await this.escrow.onShards(role, (s) => s.watchLive());
    }
    // The edge's view of the client (Cloudflare sets it; absent in local tools), for the per-client socket cap.
    return this.live.accept(role.sku, request.headers.get("cf-connecting-ip"));
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.live.onMessage(ws, message);
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    this.live.onClose(ws, code);
  }

  override webSocketError(ws: WebSocket): void {
    this.webSocketClose(ws, 1011);
  }
}
