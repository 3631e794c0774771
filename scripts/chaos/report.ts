/** The human-readable summary and the one JSON line of figures. */
import type { AuditResult, Invariants } from "./audit.ts";

export interface RunSummary {
  seed: number;
  replay: string;
  shoppers: number;
  loadSeconds: number;
  durationSeconds: number;
  kills: Array<{ atSeconds: number; restartSeconds: number }>;
  unexpectedExits: number;
  requests: number;
  unknownOutcomes: Record<string, number>;
  rateLimited: number;
  retriedOperations: number;
  replayed: number;
  operations: Record<string, Record<string, number>>;
  settle: { waitedSeconds: number; waitingAtStart: number; drained: boolean; resolvedAtAudit: number };
}

/** Figures that must be 0, and the one that must be true. */
export function failures(inv: Invariants | Record<string, number | boolean>): string[] {
  return Object.entries(inv)
    .filter(([k, v]) => (k === "auditVerifyOk" ? v !== true : v !== 0))
    .map(([k]) => k);
}

export function render(run: RunSummary, result: AuditResult): string {
  const lines: string[] = [];
  const failed = new Set(failures(result.invariants));
  lines.push("", "──────────────────────────── holdfast chaos ────────────────────────────");
  lines.push(`  seed ${run.seed}   replay: ${run.replay}`);
  lines.push(`  ${run.shoppers} shoppers + 1 merchant, ${run.loadSeconds} s of load, ${run.durationSeconds.toFixed(0)} s in all`);
  lines.push(
    `  kills ${run.kills.length}: ${run.kills.map((k) => `+${k.atSeconds.toFixed(1)}s (back in ${k.restartSeconds.toFixed(1)}s)`).join(", ") || "none"}` +
      (run.unexpectedExits > 0 ? `; ${run.unexpectedExits} exits on its own` : ""),
  );
  lines.push(
    `  requests ${run.requests}, unknown outcomes ${sum(run.unknownOutcomes)} ${JSON.stringify(run.unknownOutcomes)}, 429s ${run.rateLimited}, ` +
      `operations retried ${run.retriedOperations}, replayed answers ${run.replayed}`,
  );
  lines.push(
    `  settle ${run.settle.waitedSeconds.toFixed(1)} s for ${run.settle.waitingAtStart} still moving (${run.settle.drained ? "drained" : "not drained"}), ` +
      `resolved at audit ${run.settle.resolvedAtAudit}`,
  );
  lines.push("", "  operations (kind: outcome count):");
  for (const [kind, outcomes] of Object.entries(run.operations).sort()) {
    const parts = Object.entries(outcomes)
      .sort((a, b) => b[1] - a[1])
      .map(([o, n]) => `${o}: ${n}`);
    lines.push(`    ${kind.padEnd(22)} ${parts.join(", ")}`);
  }
  lines.push("", "  invariants (0 / true expected):");
  for (const [k, v] of Object.entries(result.invariants)) {
    lines.push(`    ${failed.has(k) ? "✗" : "✓"} ${k.padEnd(28)} ${String(v)}`);
    for (const ex of result.examples[k] ?? []) lines.push(`        ${ex}`);
  }
  lines.push("", "  info:");
  for (const [k, v] of Object.entries(result.info)) {
    if (k === "skus" && v && typeof v === "object") {
      for (const [sku, levels] of Object.entries(v)) lines.push(`    ${sku.padEnd(10)} ${JSON.stringify(levels)}`);
    } else lines.push(`    ${k}: ${JSON.stringify(v)}`);
  }
  lines.push("", failed.size === 0 ? "  result: every invariant holds" : `  result: FAILED (${[...failed].join(", ")})`);
  lines.push("────────────────────────────────────────────────────────────────────────", "");
  return lines.join("\n");
}

function sum(record: Record<string, number>): number {
  return Object.values(record).reduce((a, b) => a + b, 0);
}
