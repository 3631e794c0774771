import { SHIPPING } from "../stock/outbox";

/**
 * Keeps a SKU object's one alarm pointed at its earliest pending work (the
 * tables are the truth, the alarm only a trigger). It remembers the time it
 * last set, so the hot path skips redundant setAlarm calls.
 */
export class AlarmKeeper {
  private armedAtMs: number | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    /** The earliest instant with work to do, from the tables; null when there is none. */
    private readonly nextDue: () => number | null,
  ) {}

  /** After a restart: what the runtime still has armed. */
  async load(): Promise<void> {
    this.armedAtMs = await this.storage.getAlarm();
  }

  /** The alarm fired: whatever was armed is spent. */
  fired(): void {
    this.armedAtMs = null;
  }

  /**
   * Makes sure the alarm fires no later than the earliest pending deadline. An
   * alarm that fires early finds nothing due and re-arms, so only an earlier
   * deadline costs a setAlarm: under load the reserve path pays for one per
   * shipping window (the first event after a ship), not one per request.
   * `exact` (the alarm itself) points it at the work actually left;
   * `atLatestMs` brings it forward (a run that stopped at its bound).
   */
  async rearm(opts: { exact?: boolean; atLatestMs?: number | null } = {}): Promise<void> {
    // An alarm armed within the base shipping delay is early enough for anything a
    // request creates: a hold lives a second or more, and events ship at most that
    // much later than their own rule asks (a full batch, due at once, waits for the
    // armed alarm). Under load the reserve path skips the lookups.
    if (!opts.exact && opts.atLatestMs == null && this.armedAtMs !== null && this.armedAtMs <= Date.now() + SHIPPING.delay_ms) return;
    if (opts.exact) this.armedAtMs = null;
    const due = this.nextDue();
    const next = opts.atLatestMs == null ? due : Math.min(due ?? opts.atLatestMs, opts.atLatestMs);
    if (next === null) {
      // Only the alarm, which knows nothing is left, clears a stale alarm; it would fire harmlessly anyway.
      if (opts.exact) await this.storage.deleteAlarm();
      return;
    }
    if (this.armedAtMs !== null && this.armedAtMs <= next) return;
    await this.storage.setAlarm(next);
    this.armedAtMs = next;
  }

  /** Due work is overdue already when a step failed: re-arming at it would spin, so come back after a pause. */
  async retryIn(delay_ms: number): Promise<void> {
    const at_ms = Date.now() + delay_ms;
    await this.storage.setAlarm(at_ms);
    this.armedAtMs = at_ms;
  }
}
