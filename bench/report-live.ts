import type { LiveResult } from "./live.ts";
import { row, ROW_HEADER, tabulate } from "./report-kinds.ts";
import { round } from "./stats.ts";

/** The live push's part of the table and of the JSON line (spec §10; bench/README.md). */

export const LIVE_TARGETS = {
  /** Holds on a SKU with the sockets attached against holds on a SKU nobody watches. */
  live_reserve_watched_vs_quiet: 0.9,
  /** At most one message per 250 ms window per socket. */
  live_messages_per_second_max: 4.5,
} as const;

export function renderLive(r: LiveResult): string {
  const ratio = r.kinds.watched.summary.rps / r.kinds.quiet.summary.rps;
  const lines = tabulate([
    ROW_HEADER,
    row(`hold, SKU with ${r.sockets} live sockets (HTTP)`, r.kinds.watched),
    row("hold, SKU nobody watches (HTTP)", r.kinds.quiet),
  ]);
  lines.push(
    "",
    `live: ${r.sockets} sockets (connected in ${r.connectSeconds.toFixed(1)} s); ${r.changes} isolated changes, hold sent -> last socket received ` +
      `p50 ${r.lastClientMs.p50.toFixed(1)} ms, p99 ${r.lastClientMs.p99.toFixed(1)} ms (max ${r.lastClientMs.max.toFixed(1)}); every delivery p50 ` +
      `${r.deliveryMs.p50.toFixed(1)} ms, p99 ${r.deliveryMs.p99.toFixed(1)} ms; ${r.missed} missed`,
    `live under load: ${r.messagesPerChange.toFixed(4)} messages per change per socket (${r.messagesPerSecond.toFixed(2)}/s, target <= ` +
      `${LIVE_TARGETS.live_messages_per_second_max}), last state ${r.lastStateOk ? "ok on every socket" : "WRONG on some socket"}; ` +
      `watched/quiet ${ratio.toFixed(2)} (rounds ${r.roundRatios.map((x) => x.toFixed(2)).join("/")}; target >= ${LIVE_TARGETS.live_reserve_watched_vs_quiet})`,
  );
  return lines.join("\n");
}

export function liveSummary(r: LiveResult): Record<string, unknown> {
  return {
    live_sockets: r.sockets,
    live_changes: r.changes,
    live_last_client_p50_ms: round(r.lastClientMs.p50, 1),
    live_last_client_p99_ms: round(r.lastClientMs.p99, 1),
    live_delivery_p50_ms: round(r.deliveryMs.p50, 1),
    live_delivery_p99_ms: round(r.deliveryMs.p99, 1),
    live_missed: r.missed,
    live_messages_per_change: round(r.messagesPerChange, 4),
    live_messages_per_second: round(r.messagesPerSecond, 2),
    live_last_state_ok: r.lastStateOk,
    live_reserve_watched_rps: round(r.kinds.watched.summary.rps, 0),
    live_reserve_quiet_rps: round(r.kinds.quiet.summary.rps, 0),
    live_reserve_watched_vs_quiet: round(r.kinds.watched.summary.rps / r.kinds.quiet.summary.rps, 3),
    live_round_ratios: r.roundRatios.map((x) => round(x, 3)),
  };
}

export function liveTargetsMet(r: LiveResult): Record<string, boolean> {
  return {
    live_reserve_watched_vs_quiet: r.kinds.watched.summary.rps / r.kinds.quiet.summary.rps >= LIVE_TARGETS.live_reserve_watched_vs_quiet,
    live_messages_per_second: r.messagesPerSecond <= LIVE_TARGETS.live_messages_per_second_max,
  };
}

/** Holds of the slices that did not answer 201, and socket-changes never delivered. */
export function liveNonSuccess(r: LiveResult): number {
  const off = (s: Record<number, number>) => Object.entries(s).reduce((n, [status, count]) => n + (Number(status) === 201 ? 0 : count), 0);
  return off(r.kinds.watched.summary.statuses) + off(r.kinds.quiet.summary.statuses) + r.missed;
}
