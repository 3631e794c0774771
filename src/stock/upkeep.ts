import type { AlarmKeeper } from "../platform/alarm-keeper";
import type { Escrow } from "./shards/escrow";
import { SHIPPING, type OutboxShipper } from "./outbox";
import { LIMITS, type SkuLedger } from "./ledger";
import type { Log } from "../platform/log";
import type { SqlMeter } from "../platform/sql-meter";

/** How long the alarm waits before retrying a step of upkeep that failed. */
export const ALARM_RETRY_MS = 5_000;

/** The SKU object's parts upkeep works on; read at each run, so the object may hand itself over before it has them all. */
export interface UpkeepParts {
  readonly ledger: SkuLedger;
  readonly shipper: OutboxShipper;
  readonly escrow: Escrow;
  readonly log: Log;
  readonly meter: SqlMeter;
}

/**
 * The work of a SKU object's alarm: expires due holds, ships the outbox
 * (expiries included) to D1, then prunes what retention allows. Each step
 * fails alone: a failing step is logged and retried after ALARM_RETRY_MS, and
 * the alarm is always re-armed, so one bad row never stops expiry or shipping.
 * A shipping failure does not throw: the shipper backs off and, unlike the
 * platform's six retries, never gives up.
 */
export class Upkeep {
  constructor(
    private readonly parts: UpkeepParts,
    private readonly objectId: string,
    private readonly alarms: AlarmKeeper,
    /** The object's guard: an invariant violation is counted and logged before it propagates. */
    private readonly guard: <T>(fn: () => T) => T,
    /** The object's re-arm, which also tells live push of the change. */
    private readonly rearm: (opts: { exact: boolean; atLatestMs: number | null }) => Promise<void>,
  ) {}

  /** Expires due holds; false (logged) when that failed. */
  expire(): boolean {
    const { ledger, meter } = this.parts;
    return this.step("expire", () =>
      meter.measure("expire", () => meter.count(this.guard(() => ledger.expireDue(Date.now(), LIMITS.alarm_holds_max)))),
    );
  }

  async run(): Promise<void> {
    const { ledger, shipper, escrow, meter } = this.parts;
    let ok = this.expire();
    let capped = false;
    try {
      const report = await meter.measure("ship", async () => {
        const r = await shipper.drain();
        meter.count(r.shipped);
        return r;
      });
      capped = report.capped;
    } catch (e) {
      ok = this.failed("ship", e);
    }
    try {
      await escrow.redeliver(Date.now());
    } catch (e) {
      ok = this.failed("transfers", e);
    }
    ok =
      this.step("prune", () =>
        meter.measure("prune", () => {
          ledger.prune(Date.now(), LIMITS.alarm_prune_max);
          shipper.prune(Date.now(), SHIPPING.prune_rows_max);
        }),
      ) && ok;
    // Requests that ran while D1 was awaited may have armed the alarm for rows
    // this run has since shipped; point it at the work actually left, and at
    // once when the run stopped at its bound with a backlog.
    if (!ok) return this.alarms.retryIn(ALARM_RETRY_MS);
    await this.rearm({ exact: true, atLatestMs: capped ? Date.now() : null });
  }

  /** Runs one step of upkeep; false (logged) when it threw. */
  private step(name: string, fn: () => unknown): boolean {
    try {
      fn();
      return true;
    } catch (e) {
      return this.failed(name, e);
    }
  }

  private failed(step: string, e: unknown): false {
    this.parts.log.error("alarm_step_failed", { step, object: this.objectId, error: String(e) });
    return false;
  }
}
