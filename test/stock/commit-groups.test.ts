import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Hold } from "../../src/domain/types";
import { GROUP_COMMIT_OP } from "../../src/platform/group-commit";
import { createSku } from "../support/helpers";

/**
 * A SKU object's changes commit in groups (src/platform/group-commit.ts):
 * what arrives while it is busy shares one commit, and each change still
 * counts as its own operation in the object's cost report.
 */
type Cost = { calls: number; units: number; rows_read: number; rows_written: number; statements: number };

const costsOf = async (sku: string) => (await env.SKU.getByName(sku).costs()) as Record<string, Cost | undefined>;
const take = async (sku: string, customerId: string): Promise<Hold> => {
  const outcome = await env.SKU.getByName(sku).reserve({ customerId, quantity: 1 }, null);
  if (!outcome.ok) throw new Error(`hold refused: ${outcome.code}`);
  return outcome.value;
};
const release = async (sku: string, hold: Hold) => {
  const outcome = await env.SKU.getByName(sku).release(hold.holdId, { customerId: hold.customerId });
  expect(outcome.ok).toBe(true);
};

/** Rows written per call of each op over what `run` did. */
async function writtenPerCall(sku: string, run: () => Promise<unknown>) {
  const before = await costsOf(sku);
  await run();
  const after = await costsOf(sku);
  const per = (op: string) => {
    const b = before[op] ?? { calls: 0, rows_written: 0 };
    const a = after[op]!;
    return (a.rows_written - b.rows_written) / (a.calls - b.calls);
  };
  return { hold: per("hold"), release: per("release") };
}

describe("commit groups", () => {
  // The clock stands still, as the runtime's does between I/O, so the calls below all arrive "in the same
  // millisecond" however slow the machine: which of them share a commit is the group's rule, not the load's.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date());
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("commits holds that arrive together in fewer commits than holds, every hold counted", async () => {
    const sku = await createSku({ stock: 100 });
    const n = 40;
    const before = (await costsOf(sku))[GROUP_COMMIT_OP] ?? { calls: 0, units: 0 };
    const holds = await Promise.all(Array.from({ length: n }, (_, i) => take(sku, `together${i}`)));
    expect(new Set(holds.map((h) => h.holdId)).size).toBe(n);
    const after = (await costsOf(sku))[GROUP_COMMIT_OP]!;
    expect(after.units - before.units).toBe(n);
    // The first ran alone on the idle object; the rest waited for groups.
    expect(after.calls - before.calls).toBeLessThan(n / 2);
  });

  it("counts each change's rows against its own operation when holds and releases share a commit", async () => {
    const sku = await createSku({ stock: 100 });
    const first = await Promise.all(Array.from({ length: 4 }, (_, i) => take(sku, `warm${i}`)));
    const alone = await writtenPerCall(sku, async () => {
      for (let i = 0; i < 6; i++) await take(sku, `alone${i}`);
      for (const h of first) await release(sku, h);
    });
    const held = await Promise.all(Array.from({ length: 6 }, (_, i) => take(sku, `mix${i}`)));
    const together = await writtenPerCall(sku, () =>
      Promise.all([...held.map((h) => release(sku, h)), ...Array.from({ length: 6 }, (_, i) => take(sku, `mixed${i}`))]),
    );
    expect(alone.hold).toBeGreaterThan(0);
    expect(alone.release).toBeGreaterThan(0);
    expect(together).toEqual(alone);
  });
});
