import { SkuObjectPeers } from "./sku-object-peers";
import { accept, type Outcome } from "../domain/problems";
import type { Adjustment, Hold, MerchantWrite, SaleRule, SkuConfig, SkuSnapshot } from "../domain/types";
import type { LocationProfile } from "../domain/locations";
import type { EventLevels } from "../stock/stocking";
import { NO_KEYS, versionOf, type AcceptedKeys, type KeysVersion } from "../idempotency/accepted-keys";
import type { MerchantActor } from "../domain/roles";
import { LIMITS, type Actor, type AdjustmentResult, type IdempotencyKey, type Replayable } from "../stock/ledger";
import { isShortage, type HoldInput, type Shortage } from "../stock/take-hold";
import { unitsWanted, type HoldChange } from "../stock/change-hold";
import type { Role } from "../stock/shards/escrow";
import type { ShardCount } from "../stock/shards/hold-routing";
import { POOL } from "../stock/addressing";
import { STALE_HOME } from "../stock/shards/fences";
import { expireHoldNow } from "../stock/dev-expiry";
import { isVerdict } from "../stock/offer";
import { countSaleRefusal } from "../stock/sale-activity";
import type { LocationTransfer, LocationTransferInput, StepContext } from "../stock/location-transfers";
import { scopeRefusal, type LocationScope } from "../stock/location-scope";

/** The SKU object (see sku-object-core.ts): the operations the API calls. */
export class SkuObject extends SkuObjectPeers {
  /** The merchant's settings; with shards, pushed on to every shard (draining ones give their units back). */
  async configure(
    sku: string,
    config: SkuConfig,
    write: MerchantWrite = {},
  ): Promise<Outcome<{ created: boolean; snapshot: SkuSnapshot }>> {
    this.ensureSchema();
    this.escrow.forgetRole();
    const result = await this.changeThenRearm(() => this.catalog.configure(sku, config, Date.now(), null, null, null, write));
    this.escrow.forgetRole();
    if ("ok" in result) {
      this.ledger.countRefusal(result.code);
      return result;
    }
    const role = this.escrow.role()!;
    if (role.span > 1) {
      await this.escrow.onShards(role, (_shard, i) => this.pushSettings(role, i, config));
      const whole = (await this.snapshot())!;
      // As on an unsharded SKU, a SKU never stocked has no level to compare with: its first restock raises none.
      if (whole.levels.received > 0) await this.wholeAlerts.judgeNow(whole.levels);
      return accept({ ...result, snapshot: whole });
    }
    return accept(result);
  }

  async applySaleRule(rule: SaleRule): Promise<{ applied: boolean }> {
    this.ensureSchema();
    const result = await this.changeThenRearm(() => this.catalog.applySaleRule(rule, Date.now()));
    await this.escrow.onShards(this.escrow.role(), (shard) => shard.applySaleRule(rule));
    return result;
  }

  async removeSaleRule(saleId: string, revision: number): Promise<{ applied: boolean }> {
    this.ensureSchema();
    const result = await this.changeThenRearm(() => this.catalog.removeSaleRule(saleId, revision, Date.now()));
    await this.escrow.onShards(this.escrow.role(), (shard) => shard.removeSaleRule(saleId, revision));
    return result;
  }

  /** Restocks and shrinkage go to the pool (beyond it, shards' units are recalled); a scoped key names its location. */
  async adjust(
    input: Adjustment,
    idem: IdempotencyKey | null,
    write: MerchantWrite = {},
    scope: LocationScope = null,
  ): Promise<Replayable<AdjustmentResult>> {
    const outside = scopeRefusal(scope, input.location);
    if (outside) return outside;
    const role = this.knownRole();
    if (role && role.span > 1 && input.delta < 0 && this.escrow.removable(input.location) < -input.delta) {
      await this.escrow.recall(role, null, "all");
    }
    const outcome = await this.meter.measure("restock", () => this.mutate(() => this.ledger.adjust(input, idem, Date.now(), write)));
    if (!outcome.ok || !role || role.span <= 1) return outcome;
    if (!outcome.replayed) this.wholeAlerts.changed({ stocked: true });
    // The answer speaks of the SKU, not of the pool alone.
    const whole = await this.snapshot();
    return whole ? { ...outcome, value: { ...outcome.value, levels: whole.levels } } : outcome;
  }

  /**
   * `PUT /v1/skus/{sku}/locations/{id}` (spec §11): stocks the location with
   * no units if new (the SKU's first location makes its stock `default`'s)
   * and sets its safety stock. `write.profile` is the registry's copy.
   */
  async stockLocation(
    locationId: string,
    safetyStock: number | undefined,
    write: MerchantWrite,
    scope: LocationScope = null,
  ): Promise<Outcome<{ levels: EventLevels; version: number }>> {
    return scopeRefusal(scope, locationId) ?? this.mutate(() => this.ledger.stockLocation(locationId, safetyStock, write, Date.now()));
  }

  /** The registry's push of a location's profile: applied only where stocked and newer (bumps `version`). */
  async setLocationProfile(profile: LocationProfile): Promise<{ applied: boolean }> {
    if (!this.schemaReady) return { applied: false };
    const done = await this.changeThenRearm(() => this.ledger.setLocationProfile(profile, Date.now()));
    // Shards route by their copies: each gets it now (newer only there too), also when a retried push finds this one current.
    await this.escrow.onShards(this.escrow.role(), (s) => s.setLocationProfile(profile));
    return done;
  }

  /**
   * A refusal the edge may repeat to other shoppers (sold out, not on sale...)
   * names the version of the filter of keys this object accepted
   * (`acceptedKeysFilter`), so the edge's cut can still send a retry of an
   * accepted hold here for its stored reply.
   */
  async reserve(
    input: HoldInput,
    idem: IdempotencyKey | null,
    /** The caller's W3C traceparent: this call's log lines carry its trace id (src/platform/trace.ts). */
    trace?: string,
  ): Promise<Replayable<Hold> & { acceptedKeys?: KeysVersion; count?: ShardCount }> {
    return this.inTrace(trace, () =>
      this.meter.measure("hold", async () => {
        const started_ms = Date.now();
        const answer = this.counted(await this.reserveHere(input, idem, false));
        this.holdService.observe(Date.now() - started_ms);
        return answer;
      }),
    );
  }

  private async reserveHere(
    input: HoldInput,
    idem: IdempotencyKey | null,
    /** The settings were just re-pushed, so a stale role is not asked for again. */
    settled: boolean,
  ): Promise<Replayable<Hold> & { acceptedKeys?: KeysVersion }> {
    // Only an object without settings awaits here: the hold path of every other pays nothing for it.
    const role = this.knownRole() ?? (settled ? null : await this.settingsFromPool());
    if (role === "unreachable") return STALE_HOME;
    // Not this object's customer (the shard count changed, or a newer home fenced it): the caller retries where it says.
    const elsewhere = role && this.escrow.homeRefusal(role, input.customerId);
    if (elsewhere) return elsewhere;
    const prior = role ? await this.escrow.priorOf(role, input.customerId, idem) : null;
    if (prior && "code" in prior) {
      // This shard missed newer settings: it asks the SKU's own object for them, then serves under them (once).
      if (role?.shard == null || settled) return prior;
      await this.escrow.peer(role, POOL).pushSettingsTo(role.shard);
      return this.reserveHere(input, idem, true);
    }
    if (prior?.reply) return prior.reply;
    // The home is checked again inside the hold's transaction: the count may change, or a fence arrive, while it waits.
    const attempt = (shortage: Shortage) =>
      this.mutate(() => {
        const now = this.escrow.role();
        return (
          (now && this.escrow.homeRefusal(now, input.customerId)) || this.ledger.reserve(input, idem, Date.now(), shortage, prior?.usage)
        );
      });
    // A shard, or a SKU's own object whose old shards may still hold units, refills when short.
    const refills = role !== null && (role.shard !== null || role.span > 1);
    const outcome: Replayable<Hold> = refills
      ? await this.escrow.reserveWithRefills(role, input.quantity, attempt, true)
      : await attempt("final");
    // The sale board counts its shoppers' refusals apart from the SKU's lifetime counters (issue 21).
    if (!outcome.ok && !outcome.replayed && !isShortage(outcome) && this.schemaReady)
      countSaleRefusal(this.ledger.tables, outcome.code, Date.now());
    if (outcome.ok || outcome.replayed || !isVerdict(outcome.code)) return outcome;
    const filter = await this.acceptedKeysFilter();
    return filter ? { ...outcome, acceptedKeys: versionOf(filter) } : outcome;
  }

  /** The edge's filter of keys this object accepted, as it stands (null: none to give, no cut). */
  async acceptedKeysFilter(): Promise<AcceptedKeys | null> {
    if (!this.schemaReady) return NO_KEYS;
    const role = this.escrow.role();
    const moved = role && role.history.length > 0 ? await this.escrow.keysMovedHere(role) : undefined;
    // Without the moved keys the edge could refuse a retry whose hold exists elsewhere: no filter, no cut.
    return moved === null ? null : this.ledger.acceptedKeys(Date.now(), moved);
  }

  async getHold(holdId: string, actor: Actor): Promise<Outcome<Hold>> {
    return this.meter.measure("get_hold", () => this.mutate(() => this.ledger.getHold(holdId, actor, Date.now())));
  }

  /** `merchant`: the key that released it, when a merchant did (spec §12), named in the event. */
  async release(holdId: string, actor: Actor, merchant?: MerchantActor, trace?: string): Promise<Outcome<Hold>> {
    return this.inTrace(trace, () =>
      this.meter.measure("release", () =>
        this.mutate(() => this.ledger.release(holdId, actor, Date.now(), merchant && { by: "merchant", actor: merchant })),
      ),
    );
  }

  /**
   * The owner changes a held hold's quantity (spec §3; stock/change-hold).
   * Units are added only by the customer's home, under their usage in the
   * SKU's other objects, and a shard short of them refills as for a new hold.
   */
  async changeHold(holdId: string, change: HoldChange, idem: IdempotencyKey | null): Promise<Replayable<Hold> & { freed?: true }> {
    const role = this.knownRole();
    const before = role ? this.ledger.tables.hold(holdId)?.quantity : undefined;
    const outcome = await this.changeHere(holdId, change, idem, role);
    // Units came back (a decrease, a release): the route drops its location's cached sold-out verdict.
    const freed = outcome.ok && !outcome.replayed && (outcome.value.status !== "held" || outcome.value.quantity < (before ?? 0));
    return freed ? { ...outcome, freed: true } : outcome;
  }

  private async changeHere(holdId: string, change: HoldChange, idem: IdempotencyKey | null, role: Role | null): Promise<Replayable<Hold>> {
    const home = role !== null && this.escrow.homeRefusal(role, change.customerId) === null;
    const prior = role && home ? await this.escrow.priorOf(role, change.customerId, null) : null;
    if (prior && "code" in prior) return prior;
    const attempt = (shortage: Shortage) =>
      this.mutate(() => {
        const now = this.escrow.role();
        const away = now && this.escrow.homeRefusal(now, change.customerId);
        return this.ledger.changeHold(holdId, change, idem, Date.now(), { shortage, prior: prior?.usage ?? {}, away });
      });
    if (role === null || (role.shard === null && role.span <= 1)) return attempt("final");
    return this.escrow.reserveWithRefills(role, unitsWanted(this.ledger.tables, holdId, change.quantity), attempt);
  }

  /** A merchant voids a held hold (issue 10): the shopper's release, audited with the merchant and the reason. */
  async voidHold(holdId: string, reason: string, merchant?: MerchantActor): Promise<Outcome<Hold>> {
    return this.meter.measure("void", () =>
      this.mutate(() =>
        this.ledger.release(holdId, "merchant", Date.now(), { by: "merchant", reason, ...(merchant && { actor: merchant }) }),
      ),
    );
  }

  /** Dev tools only (the route refuses unless DEV_TOOLS=on). */
  async expireHoldNow(holdId: string): Promise<Outcome<Hold>> {
    return this.mutate(() => expireHoldNow(this.ledger, holdId, Date.now()));
  }

  async beginCheckout(holdId: string, orderId: string, actor: Actor, trace?: string): Promise<Outcome<Hold>> {
    return this.inTrace(trace, () =>
      this.meter.measure("checkout", () => this.mutate(() => this.ledger.beginCheckout(holdId, orderId, Date.now(), actor))),
    );
  }

  async commit(holdId: string, orderId: string, trace?: string): Promise<Outcome<Hold>> {
    return this.inTrace(trace, () =>
      this.meter.measure("commit", () => this.mutate(() => this.ledger.commit(holdId, orderId, Date.now()))),
    );
  }

  async returnHold(holdId: string, orderId: string): Promise<Outcome<Hold>> {
    return this.meter.measure("return", () => this.mutate(() => this.ledger.returnHold(holdId, orderId, Date.now())));
  }

  async voidCheckout(holdId: string, orderId: string): Promise<Outcome<Hold>> {
    return this.meter.measure("void_checkout", () => this.mutate(() => this.ledger.voidCheckout(holdId, orderId, Date.now())));
  }

  // --- Location transfers (spec §11): both locations are in this object, so each step is one transaction.

  async createLocationTransfer(
    input: LocationTransferInput,
    ctx: StepContext,
    idem: IdempotencyKey | null,
  ): Promise<Replayable<LocationTransfer>> {
    const role = this.knownRole();
    // The source's units may sit free on the shards: they come back first, as for a shrinkage there.
    if (role && role.shard === null && role.span > 1 && this.escrow.removable(input.from) < input.quantity) {
      await this.escrow.recall(role, null, "all", null, [input.from]);
    }
    return this.transferStep(() => this.ledger.locationTransfers.create(input, ctx, idem, Date.now()));
  }

  /** `quantity` omitted: everything still in transit. */
  async receiveLocationTransfer(
    transferId: string,
    quantity: number | undefined,
    ctx: StepContext,
    idem: IdempotencyKey | null,
  ): Promise<Replayable<LocationTransfer>> {
    return this.transferStep(() => this.ledger.locationTransfers.receive(transferId, quantity, ctx, idem, Date.now()));
  }

  async cancelLocationTransfer(transferId: string, ctx: StepContext, idem: IdempotencyKey | null): Promise<Replayable<LocationTransfer>> {
    return this.transferStep(() => this.ledger.locationTransfers.cancel(transferId, ctx, idem, Date.now()));
  }

  /** Overdue holds end first (their units become movable), then the step runs as any mutation. */
  private transferStep(step: () => Replayable<LocationTransfer>): Promise<Replayable<LocationTransfer>> {
    return this.meter.measure("location_transfer", async () => {
      if (this.schemaReady) this.guard(() => this.ledger.expireDue(Date.now(), LIMITS.sweep_holds_max));
      return this.mutate(step);
    });
  }
}
