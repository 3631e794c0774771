import { describe, expect, it } from "vitest";
import { expireHold } from "../support/inside-objects";
import { ADMIN, call, createSku, expectProblem, hold, shopperToken, unique } from "../support/helpers";

const stats = async (sku: string) => {
  const res = await call(`/v1/skus/${sku}/stats`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body;
};

describe("GET /v1/skus/{sku}/stats", () => {
  it("counts holds by outcome, refusals by code, and gives the sale's two ratios", async () => {
    const sku = await createSku({ stock: 4 });
    const a = (await hold(sku, "s1", 2)).body;
    const b = (await hold(sku, "s2", 1)).body;
    await hold(sku, "s3", 1);
    expectProblem(await hold(sku, "s4", 1), 409, "sold_out");
    // Answered at the edge from the cached verdict: the object never sees it, so it is not counted.
    expectProblem(await hold(sku, "s5", 9), 409, "sold_out");
    await call(`/v1/skus/${sku}/holds/${a.holdId}`, { method: "DELETE", auth: await shopperToken("s1") });
    await expireHold(sku, b.holdId);

    const s = await stats(sku);
    expect(s.holds).toEqual({ created: 3, released: 1, expired: 1, committed: 0, live: 1 });
    expect(s.refusals).toEqual({ sold_out: 1 });
    expect(s.invariantViolations).toBe(0);
    expect(s.levels).toMatchObject({ onHand: 4, reserved: 1 });
    expect(s.ratios).toEqual({ reservedOfOnHand: 0.25, expiredOfCreated: 0.3333 });
  });

  it("shows a cached public read never reached the object", async () => {
    const sku = await createSku({ stock: 2 });
    await call(`/v1/skus/${sku}`);
    const before = (await stats(sku)).instance.calls;
    for (let i = 0; i < 5; i++) expect((await call(`/v1/skus/${sku}`)).headers.get("holdfast-cache")).toBe("hit");
    // The only call since is the stats read itself.
    expect((await stats(sku)).instance.calls).toBe(before + 1);
  });

  it("is for the merchant only, and 404 for an unknown SKU", async () => {
    const sku = await createSku({ stock: 1 });
    expectProblem(await call(`/v1/skus/${sku}/stats`, { auth: await shopperToken("nosy") }), 403, "forbidden");
    expectProblem(await call(`/v1/skus/${sku}/stats`), 401, "unauthorized");
    expectProblem(await call(`/v1/skus/${unique("none")}/stats`, { auth: ADMIN }), 404, "not_found");
  });
});
