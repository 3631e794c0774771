import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, restock } from "../support/helpers";

/** Issue 21: the console lists the audit log newest first (`order=newest`), a page at a time. */
describe("GET /v1/audit?order=newest", () => {
  it("reads a stream backwards, and its cursor continues backwards", async () => {
    const sku = await createSku({ stock: 1 });
    for (let i = 0; i < 3; i++) await restock(sku, 1);
    await runDurableObjectAlarm(env.SKU.getByName(sku));
    const all = await call(`/v1/audit?stream=sku:${sku}`, { auth: ADMIN });
    const seqs: number[] = all.body.data.map((e: { seq: number }) => e.seq);
    expect(seqs.length).toBeGreaterThanOrEqual(4);

    const first = await call(`/v1/audit?stream=sku:${sku}&order=newest&limit=2`, { auth: ADMIN });
    expect(first.status).toBe(200);
    const second = await call(`/v1/audit?stream=sku:${sku}&order=newest&limit=200&cursor=${first.body.nextCursor}`, { auth: ADMIN });
    const back = [...first.body.data, ...second.body.data].map((e: { seq: number }) => e.seq);
    expect(back).toEqual([...seqs].reverse());
    // A cursor of one order does not continue the other.
    expect((await call(`/v1/audit?stream=sku:${sku}&cursor=${first.body.nextCursor}`, { auth: ADMIN })).status).toBe(400);
  });

  it("reads every stream newest first by time", async () => {
    const res = await call("/v1/audit?order=newest&limit=50", { auth: ADMIN });
    const times: number[] = res.body.data.map((e: { at: string }) => Date.parse(e.at));
    expect(times.length).toBeGreaterThan(1);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
