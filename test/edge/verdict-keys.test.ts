import { describe, expect, it } from "vitest";
import { createSku, expectProblem, hold, unique } from "../support/helpers";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Fresh keyed holds tried before the edge must have the filter the verdict names (each waits POLL_MS). */
const POLL_TRIES = 80;
const POLL_MS = 50;

/**
 * The sold-out cut of keyed holds (spec §6, §8): the verdict the object gives
 * names the version of its accepted-key filter, and the edge fetches that
 * filter once per version, so a stampede's refusals and cache writes do not
 * carry it. A fresh key is cut once the edge holds the filter; a retry of an
 * accepted key never is.
 */
describe("the sold-out cut of keyed holds", () => {
  it("cuts fresh keys at the edge once it holds the verdict's filter, and sends a retry of an accepted key to its stored reply", async () => {
    const sku = await createSku({ stock: 1 });
    const buyer = unique("buyer");
    const key = unique("key");
    const bought = await hold(sku, buyer, 1, { "idempotency-key": key });
    expect(bought.status).toBe(201);

    let cut = false;
    for (let i = 0; i < POLL_TRIES && !cut; i++) {
      const late = await hold(sku, unique("late"), 1, { "idempotency-key": unique("fresh") });
      expectProblem(late, 409, "sold_out");
      cut = late.headers.get("holdfast-cache") === "hit";
      if (!cut) await sleep(POLL_MS);
    }
    expect(cut, "a fresh key was never cut at the edge").toBe(true);

    const retried = await hold(sku, buyer, 1, { "idempotency-key": key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get("holdfast-cache")).toBeNull();
    expect(retried.body.holdId).toBe(bought.body.holdId);
  });
});
