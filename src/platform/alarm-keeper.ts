/**
 * Keeps a Durable Object's one alarm pointed at its earliest pending work (the
 * tables are the truth, the alarm only a trigger: alarms are at-least-once, so
 * a run that finds nothing due simply re-arms). Every object class arms its
 * alarm through one of these. It remembers the time it last set, so the hot
 * path skips redundant setAlarm calls.
 */
export class AlarmKeeper {
  private armedAtMs: number | null = null;

  constructor(
    private readonly storage: DurableObjectStorage,
    /** The earliest instant with work to do, from the tables; null when there is none. */
    private readonly nextDue: () => number | null,
    /**
     * An alarm armed no later than this past now is early enough for anything a
     * request of this class creates, so a plain re-arm skips the table lookup.
     */
    private readonly earlyEnoughMs = 0,
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
   * deadline costs a setAlarm.
   * `exact` (the alarm itself) points it at the work actually left;
   * `atLatestMs` brings it forward (a run that stopped at its bound, or work
   * the tables do not date).
   */
  async rearm(opts: { exact?: boolean; atLatestMs?: number | null } = {}): Promise<void> {
    if (!opts.exact && opts.atLatestMs == null && this.armedAtMs !== null && this.armedAtMs <= Date.now() + this.earlyEnoughMs) return;
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
