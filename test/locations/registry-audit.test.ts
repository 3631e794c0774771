import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { apiKey } from "../support/api-keys";
import { ADMIN, call, expectProblem, unique } from "../support/helpers";
import { putLocation } from "../stock/locations/support";

/**
 * The registry's writes in the audit log and under If-Match (spec §11, §7,
 * §12): each real change of a location appends one `location.created` or
 * `location.updated` event to its stream `location:<id>`, in the D1 batch
 * that changes the row, naming the changed fields and the merchant who
 * changed them; an unchanged PUT and a keyed retry append nothing; a stale
 * `If-Match` (the location's `revision`, its `ETag`) is refused.
 */

const berlin = { name: "Berlin warehouse", country: "DE", latitude: 52.52, longitude: 13.405 };

const row = (id: string) => env.DB.prepare("SELECT * FROM locations WHERE location_id = ?").bind(id).first();

type Event = { seq: number; type: string; data: Record<string, unknown> };

async function events(id: string): Promise<Event[]> {
  const res = await call(`/v1/audit?stream=${encodeURIComponent(`location:${id}`)}&limit=200`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body.data.map((e: { seq: number; type: string; data: unknown }) => ({
    seq: e.seq,
    type: e.type,
    data: typeof e.data === "string" ? JSON.parse(e.data) : e.data,
  }));
}

async function verified(id: string) {
  const res = await call(`/v1/audit/verify?stream=${encodeURIComponent(`location:${id}`)}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body;
}

describe("the audit of PUT /v1/locations/{locationId}", () => {
  it("appends location.created, then one location.updated per real change with the changed fields before and after and the actor", async () => {
    const manager = await apiKey("manager");
    const owner = await apiKey("owner");
    const id = unique("aud");
    expect((await putLocation(id, berlin, { auth: manager.auth })).status).toBe(201);
    expect((await putLocation(id, { ...berlin, country: "de" }, { auth: owner.auth })).status).toBe(200);
    const paused = await putLocation(id, { ...berlin, status: "paused", priority: 5 }, { auth: owner.auth });
    expect(paused.body.revision).toBe(2);

    const log = await events(id);
    expect(log.map((e) => [e.seq, e.type])).toEqual([
      [1, "location.created"],
      [2, "location.updated"],
    ]);
    expect(log[0]!.data).toEqual({
      locationId: id,
      revision: 1,
      before: null,
      after: {
        name: "Berlin warehouse",
        country: "DE",
        latitude: 52.52,
        longitude: 13.405,
        fulfillsOnline: true,
        pickup: false,
        priority: 0,
        status: "active",
      },
      actor: { keyId: manager.keyId, role: "manager" },
    });
    expect(log[1]!.data).toEqual({
      locationId: id,
      revision: 2,
      before: { priority: 0, status: "active" },
      after: { priority: 5, status: "paused" },
      actor: { keyId: owner.keyId, role: "owner" },
    });
    expect(await verified(id)).toMatchObject({ ok: true, events: 2 });
  });

  it("appends nothing more for a retry with the same Idempotency-Key, even after another writer changed the location", async () => {
    const id = unique("idem");
    const key = { "idempotency-key": unique("k") };
    const first = await putLocation(id, berlin, { headers: key });
    expect(first.status).toBe(201);
    expect((await putLocation(id, { ...berlin, name: "Renamed" })).body.revision).toBe(2);
    const retry = await putLocation(id, berlin, { headers: key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toMatchObject({ revision: 1, name: "Berlin warehouse" });
    expect(await row(id)).toMatchObject({ name: "Renamed", revision: 2 });
    expect((await events(id)).map((e) => e.type)).toEqual(["location.created", "location.updated"]);
    // The same key with another body is a reuse, not a retry.
    expectProblem(await putLocation(id, { ...berlin, priority: 9 }, { headers: key }), 422, "idempotency_key_reused");
  });

  it("gives each of several racing writers one event at its own revision, in one valid chain", async () => {
    const id = unique("race");
    expect((await putLocation(id, berlin)).status).toBe(201);
    const replies = await Promise.all(["A", "B", "C", "D"].map((n) => putLocation(id, { ...berlin, name: `Berlin ${n}` })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const log = await events(id);
    expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(log.map((e) => e.data.revision)).toEqual([1, 2, 3, 4, 5]);
    // Each event's "after" is the name its own reply carried at that revision.
    for (const r of replies) expect(log[r.body.revision - 1]!.data.after).toEqual({ name: r.body.name });
    expect(await verified(id)).toMatchObject({ ok: true, events: 5 });
  });

  it("changes neither the row nor the log when the event cannot be appended: one batch", async () => {
    const id = unique("atomic");
    expect((await putLocation(id, berlin)).status).toBe(201);
    const before = await row(id);
    const trigger = `no_audit_${id.replaceAll("-", "_")}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON audit_events WHEN NEW.stream = 'location:${id}' BEGIN SELECT RAISE(ABORT, 'audit refused'); END`,
    ).run();
    try {
      expect((await putLocation(id, { ...berlin, name: "Never" })).status).toBe(500);
    } finally {
      await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    }
    expect(await row(id)).toEqual(before);
    expect((await events(id)).map((e) => e.type)).toEqual(["location.created"]);
  });
});

describe("If-Match on PUT /v1/locations/{locationId}", () => {
  it("sends the revision as ETag and refuses a stale one with 412 version_conflict and currentVersion, writing nothing", async () => {
    const id = unique("etag");
    const created = await putLocation(id, berlin);
    expect(created.headers.get("etag")).toBe('"1"');
    const moved = await putLocation(id, { ...berlin, name: "Moved" }, { headers: { "if-match": '"1"' } });
    expect(moved.status).toBe(200);
    expect(moved.headers.get("etag")).toBe('"2"');
    expect((await call(`/v1/locations/${id}`, { auth: ADMIN })).headers.get("etag")).toBe('"2"');

    const stale = await putLocation(id, { ...berlin, name: "Lost update" }, { headers: { "if-match": '"1"' } });
    expectProblem(stale, 412, "version_conflict");
    expect(stale.body.currentVersion).toBe(2);
    expect(await row(id)).toMatchObject({ name: "Moved", revision: 2 });
    expect((await events(id)).length).toBe(2);
    // The weak and bare forms name the same revision; If-Match 0 creates only.
    expect((await putLocation(id, { ...berlin, name: "Third" }, { headers: { "if-match": 'W/"2"' } })).body.revision).toBe(3);
    expect((await putLocation(id, { ...berlin, name: "Fourth" }, { headers: { "if-match": "3" } })).body.revision).toBe(4);
    expectProblem(await putLocation(id, berlin, { headers: { "if-match": "0" } }), 412, "version_conflict");
    expect((await putLocation(unique("fresh"), berlin, { headers: { "if-match": "0" } })).status).toBe(201);
    expectProblem(await putLocation(id, berlin, { headers: { "if-match": "seven" } }), 400, "invalid_request");
  });
});
