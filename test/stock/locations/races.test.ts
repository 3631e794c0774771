import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSku, holdOf, problemOf, shopperToken } from "../../support/helpers";
import { adjustAt, merchantSku, registerLocation } from "./support";

/** Spec §11 under concurrency: the compare-and-set of merchant writes, and holds racing across locations. */
describe("races on a SKU with locations", () => {
  it("two writers with the same If-Match version: exactly one wins, the other gets 412 with the current version", async () => {
    const sku = await createSku({ stock: 5 });
    const { version } = (await merchantSku(sku)).body;
    const ifMatch = { "if-match": `"${version}"` };
    const [a, b] = await Promise.all([adjustAt(sku, undefined, 3, ifMatch), adjustAt(sku, undefined, -2, ifMatch)]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 412]);
    const loser = a.status === 412 ? a : b;
    expect(problemOf(loser).code).toBe("version_conflict");
    expect(loser.body.currentVersion).toBe(version + 1);
    const winner = a.status === 200 ? a : b;
    expect((await merchantSku(sku)).body).toMatchObject({ version: version + 1, onHand: 5 + winner.body.adjustment.delta });

    // The same for two PUTs of the SKU's settings.
    const put = (name: string) =>
      call(`/v1/skus/${sku}`, {
        method: "PUT",
        auth: ADMIN,
        headers: { "if-match": String(version + 1) },
        body: { name, price: { amount: 100, currency: "usd" }, alwaysOn: true },
      });
    const [p, q] = await Promise.all([put("first"), put("second")]);
    expect([p.status, q.status].sort()).toEqual([200, 412]);
    expect((p.status === 412 ? p : q).body.currentVersion).toBe(version + 2);
  });

  it("many concurrent holds on three locations oversell none of them", async () => {
    const sku = await createSku();
    const places = [
      await registerLocation({ country: "US", latitude: 40.7, longitude: -74.0 }),
      await registerLocation({ country: "US", latitude: 34.0, longitude: -118.2 }),
      await registerLocation({ country: "DE", latitude: 52.5, longitude: 13.4 }),
    ];
    for (const p of places) expect((await adjustAt(sku, p.locationId, 10)).status).toBe(200);
    const destinations = [
      { country: "US", latitude: 41, longitude: -73 },
      { country: "US", latitude: 35, longitude: -117 },
      { country: "DE", latitude: 50, longitude: 10 },
      { country: "FR" },
    ];
    const results = await Promise.all(
      Array.from({ length: 150 }, async (_, i) =>
        call(`/v1/skus/${sku}/holds`, {
          auth: await shopperToken(`racer-${i}`),
          body: { quantity: 1 + (i % 3), shipTo: destinations[i % destinations.length] },
        }),
      ),
    );
    const granted = new Map<string, number>();
    for (const r of results) {
      if (r.status !== 201) {
        expect(r.status).toBe(409);
        expect(["sold_out", "insufficient_stock"]).toContain(problemOf(r).code);
        continue;
      }
      for (const a of holdOf(r).allocations ?? []) granted.set(a.location, (granted.get(a.location) ?? 0) + a.quantity);
    }
    const view = (await merchantSku(sku)).body as { locations: { location: string; onHand: number; reserved: number }[]; reserved: number };
    for (const p of places) {
      const at = view.locations.find((l) => l.location === p.locationId)!;
      expect(at.reserved).toBeLessThanOrEqual(at.onHand);
      expect(granted.get(p.locationId) ?? 0).toBe(at.reserved);
    }
    expect([...granted.values()].reduce((a, b) => a + b, 0)).toBe(view.reserved);
    // 150 requests for about 300 units against 30: every location ends full up to its last fitting unit.
    expect(view.reserved).toBeGreaterThanOrEqual(28);
    expect((await env.SKU.getByName(sku).stats())?.invariantViolations).toBe(0);
  });
});
