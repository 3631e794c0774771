import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pushLocation, STOCKING_GRACE_MS, sweepLocationPushes } from "../../src/locations/push";
import { findLocation } from "../../src/locations/registry";
import worker from "../../src/worker";
import { ADMIN, call, createSku, unique } from "../support/helpers";
import { putLocation } from "../stock/locations/support";

/**
 * A registry change reaches the SKU objects that stock the location (spec
 * §11): pausing a location stops new holds routed there, moving it changes
 * `nearest` routing; what the PUT did not push the cron's sweep does; a late
 * push never undoes a newer one.
 */

const BERLIN = { country: "DE", latitude: 52.52, longitude: 13.405 };
const PARIS = { country: "FR", latitude: 48.8566, longitude: 2.3522 };
const TOKYO = { country: "JP", latitude: 35.6762, longitude: 139.6503 };

const pushedRevision = async (sku: string, id: string) =>
  (
    await env.DB.prepare("SELECT pushed_revision AS r FROM sku_locations WHERE sku = ? AND location_id = ?").bind(sku, id).first<{
      r: number;
    }>()
  )?.r;

/** A SKU stocking each of `places` with `units` there. */
async function locatedSku(places: Record<string, object>, units = 5): Promise<string> {
  const sku = await createSku({ stock: 0 });
  for (const [id, where] of Object.entries(places)) {
    expect((await putLocation(id, { name: id, ...where })).status).toBe(201);
    expect((await call(`/v1/skus/${sku}/locations/${id}`, { method: "PUT", auth: ADMIN, body: {} })).status).toBeLessThan(300);
    const added = await call(`/v1/skus/${sku}/adjustments`, { auth: ADMIN, body: { delta: units, reason: "received", location: id } });
    expect(added.status).toBe(200);
  }
  return sku;
}

/**
 * A one-unit hold shipped to `to`, taken by the SKU's object as the hold route
 * hands it over (the route's `shipTo` parsing is loc-core's): its outcome.
 */
function holdShippedTo(sku: string, to: { country: string; latitude?: number; longitude?: number }) {
  const destination = { kind: "ship" as const, country: to.country, latitude: to.latitude ?? null, longitude: to.longitude ?? null };
  return env.SKU.getByName(sku).reserve({ customerId: unique("shopper"), quantity: 1, destination }, null);
}

/** The location a one-unit hold shipped to `to` is allocated from. */
async function routedTo(sku: string, to: { country: string; latitude?: number; longitude?: number }): Promise<string> {
  const held = await holdShippedTo(sku, to);
  if (!held.ok) throw new Error(`hold refused: ${held.code} ${held.detail}`);
  expect(held.value.allocations).toHaveLength(1);
  return held.value.allocations![0]!.location;
}

describe("a location's change reaches the SKUs stocking it", () => {
  it("pausing a location stops new holds routed there; its SKU is told before the reply", async () => {
    const [berlin, paris] = [unique("ber"), unique("par")];
    const sku = await locatedSku({ [berlin]: BERLIN, [paris]: PARIS });
    expect(await routedTo(sku, { country: "DE", latitude: 52.4, longitude: 13.3 })).toBe(berlin);

    // Stocking handed the object the profile: no push of revision 1 is owed.
    expect((await call(`/v1/locations/${berlin}`, { auth: ADMIN })).body).toMatchObject({ revision: 1, skus: 1, pendingSkus: 0 });
    const paused = await putLocation(berlin, { name: berlin, ...BERLIN, status: "paused" });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ revision: 2, skus: 1, pendingSkus: 0 });
    expect(await pushedRevision(sku, berlin)).toBe(2);
    expect(await routedTo(sku, { country: "DE", latitude: 52.4, longitude: 13.3 })).toBe(paris);

    // Active again: Berlin is nearest again.
    await putLocation(berlin, { name: berlin, ...BERLIN });
    expect(await routedTo(sku, { country: "DE", latitude: 52.4, longitude: 13.3 })).toBe(berlin);
  });

  it("a changed latitude changes nearest routing", async () => {
    const [berlin, paris] = [unique("ber"), unique("par")];
    const sku = await locatedSku({ [berlin]: BERLIN, [paris]: PARIS });
    const lyon = { country: "FR", latitude: 45.764, longitude: 4.8357 };
    expect(await routedTo(sku, lyon)).toBe(paris);
    // "Paris" moves to Tokyo: from Lyon, Berlin is now the nearer.
    expect((await putLocation(paris, { name: paris, ...TOKYO })).body.revision).toBe(2);
    expect(await routedTo(sku, lyon)).toBe(berlin);
  });

  it("leaves what passes the request's bound to the cron's sweep, which finishes it", async () => {
    const id = unique("many");
    const skus = [await locatedSku({ [id]: BERLIN }, 1)];
    for (let i = 0; i < 2; i++) {
      const sku = await createSku({ stock: 0 });
      expect((await call(`/v1/skus/${sku}/locations/${id}`, { method: "PUT", auth: ADMIN, body: {} })).status).toBeLessThan(300);
      skus.push(sku);
    }
    // Written straight to D1 so that no push runs: the registry moved on, three objects are behind.
    await env.DB.prepare("UPDATE locations SET status = 'paused', revision = revision + 1 WHERE location_id = ?").bind(id).run();
    const profile = (await findLocation(env.DB, id))!;
    expect((await call(`/v1/locations/${id}`, { auth: ADMIN })).body).toMatchObject({ skus: 3, pendingSkus: 3 });

    expect(await pushLocation(env, profile, Date.now(), 1)).toEqual({ pushed: 1, failed: 0 });
    expect((await call(`/v1/locations/${id}`, { auth: ADMIN })).body.pendingSkus).toBe(2);
    const swept = await sweepLocationPushes(env, Date.now());
    expect(swept.failed).toBe(0);
    expect(swept.pushed).toBeGreaterThanOrEqual(2);
    expect((await call(`/v1/locations/${id}`, { auth: ADMIN })).body.pendingSkus).toBe(0);
    for (const sku of skus) expect(await pushedRevision(sku, id)).toBe(profile.revision);
    // The pushed copy is the one routing reads: paused, the SKU refuses a shipped hold.
    expect(await holdShippedTo(skus[0]!, { country: "DE" })).toMatchObject({ ok: false, code: "insufficient_stock" });
  });

  it("is finished by the every-minute cron when the PUT's push failed", async () => {
    const [berlin, paris] = [unique("ber"), unique("par")];
    const sku = await locatedSku({ [berlin]: BERLIN, [paris]: PARIS });
    // As if the object had been unreachable during the PUT: the registry moved on, D1 says the push is owed.
    await env.DB.prepare("UPDATE locations SET status = 'paused', revision = revision + 1 WHERE location_id = ?").bind(berlin).run();
    expect(await routedTo(sku, { country: "DE", latitude: 52.4, longitude: 13.3 })).toBe(berlin);
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env);
    expect(await pushedRevision(sku, berlin)).toBe(2);
    expect(await routedTo(sku, { country: "DE", latitude: 52.4, longitude: 13.3 })).toBe(paris);
  });

  it("never lets a late push undo a newer one, nor lowers what D1 records", async () => {
    const [berlin, paris] = [unique("ber"), unique("par")];
    const sku = await locatedSku({ [berlin]: BERLIN, [paris]: PARIS });
    const old = (await findLocation(env.DB, paris))!;
    expect((await putLocation(paris, { name: paris, ...TOKYO })).body.revision).toBe(2);
    // The revision-1 copy arrives late (a slow request, a retried sweep): the object keeps revision 2.
    expect(await pushLocation(env, old, Date.now())).toEqual({ pushed: 0, failed: 0 });
    const late = await env.SKU.getByName(sku).setLocationProfile(old);
    expect(late.applied).toBe(false);
    expect(await routedTo(sku, { country: "FR", latitude: 45.764, longitude: 4.8357 })).toBe(berlin);
    expect(await pushedRevision(sku, paris)).toBe(2);
  });

  it("keeps a push owed while a young row's object does not stock the location yet, and settles it once old", async () => {
    const id = unique("young");
    expect((await putLocation(id, { name: id, ...BERLIN })).status).toBe(201);
    // A stocking call still on its way: the route wrote the row, the object has not heard of the location.
    const sku = await createSku({ stock: 0 });
    const now_ms = Date.now();
    await env.DB.prepare("INSERT INTO sku_locations (sku, location_id, created_at_ms) VALUES (?, ?, ?)").bind(sku, id, now_ms).run();
    const paused = await putLocation(id, { name: id, ...BERLIN, status: "paused" });
    expect(paused.body).toMatchObject({ revision: 2, skus: 1, pendingSkus: 1 });
    expect(await sweepLocationPushes(env, now_ms + STOCKING_GRACE_MS - 1)).toMatchObject({ failed: 0 });
    expect(await pushedRevision(sku, id)).toBe(0);
    await sweepLocationPushes(env, now_ms + STOCKING_GRACE_MS);
    expect(await pushedRevision(sku, id)).toBe(2);
  });
});
