import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, expectProblem, unique } from "../support/helpers";
import { putLocation } from "../stock/locations/support";

/**
 * The locations registry (spec §11): `PUT /v1/locations/{id}` creates or
 * replaces, `revision` rises once per real change and an unchanged PUT writes
 * nothing; bad input is a 400 that changes nothing; the list pages with the
 * one cursor codec.
 */

const berlin = { name: "Berlin warehouse", country: "de", latitude: 52.52, longitude: 13.405 };

const get = (id: string) => call(`/v1/locations/${id}`, { auth: ADMIN });
const row = (id: string) => env.DB.prepare("SELECT * FROM locations WHERE location_id = ?").bind(id).first();

describe("PUT /v1/locations/{locationId}", () => {
  it("creates with the defaults (201), answers an unchanged PUT 200 without a write, and counts each change once", async () => {
    const id = unique("wh");
    const created = await putLocation(id, berlin);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      locationId: id,
      name: "Berlin warehouse",
      country: "DE",
      latitude: 52.52,
      longitude: 13.405,
      fulfillsOnline: true,
      pickup: false,
      priority: 0,
      status: "active",
      revision: 1,
      skus: 0,
      pendingSkus: 0,
    });
    const stored = await row(id);

    const again = await putLocation(id, { ...berlin, country: "DE" });
    expect(again.status).toBe(200);
    expect(again.body.revision).toBe(1);
    // Nothing written: the row is byte for byte what the create left, updated_at_ms included.
    expect(await row(id)).toEqual(stored);

    const paused = await putLocation(id, { ...berlin, status: "paused" });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: "paused", revision: 2, createdAt: created.body.createdAt });
    const moved = await putLocation(id, { ...berlin, status: "paused", latitude: 48.14, longitude: 11.58 });
    expect(moved.body).toMatchObject({ revision: 3, latitude: 48.14, longitude: 11.58 });
    expect((await get(id)).body).toEqual(moved.body);
  });

  it("gives each of several racing writers its own revision", async () => {
    const id = unique("race");
    expect((await putLocation(id, berlin)).status).toBe(201);
    const names = ["A", "B", "C", "D"];
    const replies = await Promise.all(names.map((n) => putLocation(id, { ...berlin, name: `Berlin ${n}` })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(replies.map((r) => r.body.revision).sort()).toEqual([2, 3, 4, 5]);
    const last = replies.find((r) => r.body.revision === 5)!;
    expect((await get(id)).body.name).toBe(last.body.name);
  });

  it.each([
    ["a country that is not two letters", { ...berlin, country: "DEU" }, "json", "country"],
    ["a latitude past the pole", { ...berlin, latitude: 91 }, "json", "latitude"],
    ["a latitude without a longitude", { name: "X", country: "DE", latitude: 10 }, "json", "longitude"],
    ["a priority that is not an integer", { ...berlin, priority: 1.5 }, "json", "priority"],
    ["an unknown status", { ...berlin, status: "closed" }, "json", "status"],
    ["an empty name", { ...berlin, name: "  " }, "json", "name"],
    ["an unknown field", { ...berlin, colour: "red" }, "json", ""],
  ])("refuses %s with invalid_request naming the field, and stores nothing", async (_what, body, where, path) => {
    const id = unique("bad");
    const res = await putLocation(id, body);
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ in: where, path })]));
    expect(await row(id)).toBeNull();
  });

  it("refuses an id that is not a location id (upper case), and stores nothing", async () => {
    const res = await putLocation("WH-Upper", berlin);
    expectProblem(res, 400, "invalid_request");
    expect(res.body.errors[0]).toMatchObject({ in: "param", path: "locationId" });
    expect(await row("WH-Upper")).toBeNull();
  });
});

describe("GET /v1/locations", () => {
  it("answers 404 not_found for a location never registered", async () => {
    expectProblem(await get(unique("nowhere")), 404, "not_found");
  });

  it("pages through every location once, in id order, with the cursor", async () => {
    const prefix = unique("page");
    const ids = [1, 2, 3, 4, 5].map((n) => `${prefix}-${n}`);
    for (const id of ids) expect((await putLocation(id, berlin)).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const res: Awaited<ReturnType<typeof call>> = await call(`/v1/locations?limit=2${cursor ? `&cursor=${cursor}` : ""}`, {
        auth: ADMIN,
      });
      expect(res.status).toBe(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((l: { locationId: string }) => l.locationId));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id.startsWith(prefix))).toEqual(ids);
  });

  it("refuses a cursor it did not hand out", async () => {
    const res = await call("/v1/locations?cursor=Tk9U!", { auth: ADMIN });
    expectProblem(res, 400, "invalid_request");
    // Base64url of "NOT A LOCATION": decodes, but is no location id.
    expectProblem(await call("/v1/locations?cursor=Tk9UIEEgTE9DQVRJT04", { auth: ADMIN }), 400, "invalid_request");
  });
});
