import type { Levels } from "../domain/types";
import type { SkuTables } from "./tables";
import { detectStockAlerts, type StockAlert } from "./alerts";
import type { Log } from "../platform/log";

/**
 * Stock alerts of a sharded SKU. No one object of it sees the SKU's available
 * units, so their shippers raise none (a shard's "sold out" is only its
 * allotment running dry). The SKU's own object judges the whole instead:
 * shards report their parts to it at most once a second each (ShardReporter),
 * it adds them up as live push does, and when the whole crosses a line (sold
 * out, back in stock, low, stocked at or below the threshold) it appends a
 * `stock.alert` event to its own outbox, in the transaction that records the
 * new band. The alert then ships once, with the event's stable id, like an
 * unsharded SKU's. Alerts trail the crossing by at most a report window and
 * the judging delay (about two seconds).
 */

/** Judging waits this long after the first change, so a burst of reports is judged once. */
export const JUDGE_DELAY_MS = 1_000;

/** The band decides every alert (see stockAlert): out, at or below the threshold, above it. */
function band(available: number | null, threshold: number): "unknown" | "out" | "low" | "ok" {
  if (available === null) return "unknown";
  return available === 0 ? "out" : available <= threshold ? "low" : "ok";
}

/**
 * Judges the whole SKU's levels against the last judged ones, inside one
 * transaction: the alerts it raises become outbox events, and the new last
 * judged level is written only when its band moved (or an alert was raised),
 * so a busy SKU costs no write per report. Returns the alerts raised.
 */
export function judgeWhole(tables: SkuTables, whole: Levels, stocked: boolean, threshold: number, now_ms: number): StockAlert[] {
  return tables.tx(() => {
    const before = tables.sql.exec<{ whole_available: number | null }>("SELECT whole_available FROM sku WHERE id = 1").toArray()[0];
    if (!before) return [];
    const previous = before.whole_available;
    const alerts = detectStockAlerts(previous, [{ seq: 0, atMs: now_ms, levels: whole, stocked }], threshold);
    if (alerts.length === 0 && band(previous, threshold) === band(whole.available, threshold)) return [];
    tables.sql.exec("UPDATE sku SET whole_available = ? WHERE id = 1", whole.available);
    tables.forgetLevels();
    // `whole`, not `levels`: the shipper takes `levels` for this object's own inventory row.
    for (const a of alerts) tables.emit("stock.alert", now_ms, { alert: a.type, whole: a.levels });
    return alerts;
  });
}

/**
 * The SKU's own object's side: changes (a shard's report, a restock) ask for
 * a judgement; one runs at most every JUDGE_DELAY_MS, one at a time, and a
 * change during a run asks for another after it, so the last state is
 * always judged.
 */
export class WholeAlerts {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private again = false;
  /** The merchant stocked the SKU since the last judgement. */
  private stocked = false;

  constructor(
    private readonly tables: SkuTables,
    /** The whole SKU's levels now; null when the SKU is not sharded (any more) or unknown. */
    private readonly whole: () => Promise<Levels | null>,
    /** After alerts were recorded: arm the alarm so they ship. */
    private readonly recorded: () => Promise<void>,
    private readonly threshold: number,
    private readonly log: Log,
  ) {}

  /** Judges levels read just now (e.g. when the SKU becomes sharded, which sets the baseline to compare with). */
  async judgeNow(levels: Levels): Promise<void> {
    if (judgeWhole(this.tables, levels, false, this.threshold, Date.now()).length > 0) await this.recorded();
  }

  changed(opts: { stocked?: boolean } = {}): void {
    if (opts.stocked) this.stocked = true;
    if (this.running) {
      this.again = true;
      return;
    }
    this.timer ??= setTimeout(() => void this.run(), JUDGE_DELAY_MS);
  }

  private async run(): Promise<void> {
    this.timer = null;
    this.running = true;
    const stocked = this.stocked;
    this.stocked = false;
    try {
      const levels = await this.whole();
      if (levels && judgeWhole(this.tables, levels, stocked, this.threshold, Date.now()).length > 0) await this.recorded();
    } catch (e) {
      // The next change judges again; an alert may come late, no hold waits for it.
      this.stocked ||= stocked;
      this.log.error("whole_alerts_failed", { error: String(e) });
    } finally {
      this.running = false;
    }
    if (this.again) {
      this.again = false;
      this.changed();
    }
  }
}
