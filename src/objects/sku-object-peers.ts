import { SkuObjectReads } from "./sku-object-reads";
import type { Hold, SaleRule, SkuConfig } from "../domain/types";
import { LIMITS, type IdempotencyKey, type Replayable } from "../stock/ledger";
import type { FenceAs, Prior, Role } from "../stock/shards/escrow";
import type { StoredHold } from "../stock/shards/hold-routing";
import type { Grant, LocatedGrant, ShardNews, Surrendered } from "../stock/shards/escrow-policy";
import { keysMovedTo } from "../stock/shards/moved-keys";
import { partOf, type ShardPart } from "../stock/shards/parts";
import type { Transfer } from "../stock/shards/transfers";
import type { Want } from "../stock/shards/located-escrow";
import { objectName, shardOfObject } from "../stock/addressing";

/** Calls the SKU's own object makes to push its settings to one shard before leaving it to the next grant. */
const PUSH_ATTEMPTS_MAX = 3;

/**
 * The calls a SKU's objects make to one another (spec §8): settings pushed to
 * shards, the escrow's two-phase transfers, shard reports for live push, and
 * a customer's footprint read by their new home. Not called by the API.
 */
export abstract class SkuObjectPeers extends SkuObjectReads {
  /**
   * Pushes the SKU's settings to shard `i`, a few times if a call fails. A
   * shard that still missed them is pushed again when it next asks the pool
   * for units (`grant`), or, with none at all, when a hold reaches it
   * (`settingsFromPool`); its old customers are fenced by their new homes, so a
   * stale shard can neither take more units nor exceed a limit.
   */
  protected async pushSettings(role: Role, i: number, config?: SkuConfig): Promise<boolean> {
    const sku = this.ledger.tables.requireSku();
    const settings: SkuConfig = config ?? {
      name: sku.name,
      price: { amount: sku.price_amount, currency: sku.currency },
      alwaysOn: sku.always_on === 1,
    };
    const rules = this.ledger.tables.saleRules();
    for (let attempt = 1; attempt <= PUSH_ATTEMPTS_MAX; attempt++) {
      try {
        await this.escrow.peer(role, i).configureShard(role.sku, i, { ...settings, shards: role.shards }, rules, role.history, role.epoch);
        return true;
      } catch (e) {
        this.log.error("settings_push_failed", { sku: role.sku, shard: i, attempt, error: String(e) });
      }
    }
    return false;
  }

  /**
   * A shard that found itself behind, or without settings at all, asks for the
   * current ones (see `reserve`): "unknown" when this SKU has no such shard.
   */
  async pushSettingsTo(shard: number): Promise<"pushed" | "failed" | "unknown"> {
    const role = this.knownRole();
    if (!role || role.shard !== null || shard < 0 || shard >= role.span) return "unknown";
    return (await this.pushSettings(role, shard)) ? "pushed" : "failed";
  }

  /**
   * The role of an object that has no settings yet. A shard the pool added a
   * moment ago can be sent a customer before they arrive, or after their push
   * failed: it asks the pool for them ("unreachable" while the pool cannot
   * push them), so it never answers "no such SKU" for a SKU that has it.
   */
  protected async settingsFromPool(): Promise<Role | null | "unreachable"> {
    const self = shardOfObject(this.ctx.id.name);
    if (!self) return null;
    const asked = await this.env.SKU.getByName(objectName(self.sku, null)).pushSettingsTo(self.shard);
    if (asked === "failed") return "unreachable";
    return this.knownRole();
  }

  /** A shard's settings, from its SKU's own object; the shard's epoch in return (older pushes change nothing). */
  async configureShard(sku: string, shard: number, config: SkuConfig, rules: SaleRule[], history: number[], epoch: number): Promise<void> {
    this.ensureSchema();
    const now_ms = Date.now();
    this.escrow.forgetRole();
    await this.changeThenRearm(() => {
      this.catalog.configure(sku, config, now_ms, shard, history, epoch);
      for (const rule of rules) this.catalog.applySaleRule(rule, now_ms);
    });
    this.escrow.forgetRole();
    await this.escrow.drain(this.escrow.role()!);
  }

  /** A shard's levels changed; the answer tells it whether to keep reporting. */
  async shardLevels(part: ShardPart, news?: ShardNews): Promise<{ watching: boolean }> {
    if (this.schemaReady && news && news.credited.length > 0) {
      this.escrow.heard(news, Date.now());
      await this.rearm();
    }
    this.liveShards.report(part);
    this.live.changed();
    this.wholeAlerts.changed();
    return { watching: this.live.watching };
  }

  async watchLive(): Promise<void> {
    this.reporter.watch();
  }

  // --- Escrow (spec §8): the pool's and the shards' side of two-phase transfers.

  async grant(shard: number, wanted: number, news?: ShardNews): Promise<Grant> {
    const granted = await this.grantAt(shard, wanted, news);
    // Only an ask that names its locations can be answered "elsewhere".
    return granted === "elsewhere" ? "later" : granted;
  }

  /** A located shard's refill: from the locations `want` names (see Escrow.grantLocated). */
  async grantAt(shard: number, wanted: number, news?: ShardNews, want?: Want): Promise<LocatedGrant> {
    const role = this.escrow.role();
    if (!role || role.shard !== null) return null;
    // A shard that missed the current settings gets them before any unit: it asks again under them.
    if (news?.epoch !== undefined && news.epoch < role.epoch) {
      await this.pushSettings(role, shard);
      return "later";
    }
    const t = await this.meter.measure("transfer", () => this.escrow.grantAt(role, shard, wanted, news, want));
    await this.rearm();
    return t;
  }

  async surrender(keepPace = false, locations?: readonly string[]): Promise<Surrendered> {
    if (!this.schemaReady) return { transfers: [], keptUnits: 0 };
    const t = this.meter.measure("transfer", () => this.escrow.surrender(keepPace, Date.now(), locations));
    await this.rearm();
    return t;
  }

  async receiveTransfer(t: Transfer): Promise<void> {
    this.ensureSchema();
    this.meter.measure("transfer", () => this.guard(() => this.escrow.receive(t, Date.now())));
    await this.rearm();
  }

  async postTransfer(transferId: string): Promise<void> {
    if (!this.schemaReady) return;
    this.meter.measure("transfer", () => this.escrow.post(transferId, Date.now()));
    await this.rearm();
  }

  /** This object's own part of its SKU, for the SKU's own object to add up. */
  async part(audited = false): Promise<ShardPart | null> {
    if (!this.schemaReady) return null;
    // As of now, like the pool's own snapshot: a hold past its deadline is not reserved, whether or not the alarm ran.
    this.guard(() => this.ledger.expireDue(Date.now(), LIMITS.sweep_holds_max));
    const part = this.guard(() => partOf(this.ledger, this.escrow.poolCalls, audited));
    await this.rearm();
    return part;
  }

  /** Hold keys this object accepted for customers whose home under `shards` is `home` (a change of the count moved them). */
  async keysMovedTo(home: number, shards: number): Promise<string[] | null> {
    const role = this.knownRole();
    return role ? keysMovedTo(this.ledger.replies, role.sku, home, shards, Date.now()) : [];
  }

  /** The customer's units here by sale, and the stored reply of a keyed hold made here (see Escrow.priorOf). */
  async priorHere(customerId: string, idem: IdempotencyKey | null, fenceAs: FenceAs | null = null): Promise<Prior> {
    if (!this.schemaReady) return { usage: {}, reply: null, epoch: null };
    return this.guard(() => this.escrow.priorHere(customerId, idem, fenceAs, Date.now()));
  }

  /**
   * The stored reply to the customer's keyed hold, if it ran: here, or (when
   * this is the customer's home) in the objects that served them under the
   * SKU's earlier counts. Nothing when this is not their home: the edge asks it.
   */
  async storedHold(customerId: string, idem: IdempotencyKey): Promise<StoredHold> {
    const role = this.knownRole() ?? (await this.settingsFromPool());
    if (!role || role === "unreachable") return { reply: null };
    const here = this.ledger.replies.recall<Hold>(idem, Date.now());
    if (here || !this.escrow.serves(role, customerId)) return this.counted({ reply: here });
    const prior = await this.escrow.priorOf(role, customerId, idem);
    return this.counted({ reply: "code" in prior ? null : prior.reply });
  }

  /** A keyed change's stored reply, without running anything: what a retry over the edge's budget is answered. */
  async storedChange(idem: IdempotencyKey): Promise<Replayable<Hold> | null> {
    return this.schemaReady ? this.ledger.replies.recall<Hold>(idem, Date.now()) : null;
  }
}
