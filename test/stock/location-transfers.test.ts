import { evictDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, expectProblem, hold, unique } from "../support/helpers";
import { objectSql } from "../support/inside-objects";
import {
  cancelTransfer,
  createTransfer,
  expectLocatedInvariants,
  located,
  locatedSku,
  receiveTransfer,
} from "../support/location-transfers";

/**
 * Transfers between a SKU's locations (spec §11, issue 19 item 4): two
 * phases inside the SKU's object, partial receipts, cancel returning the
 * rest, each step once under retries, restarts and races, with every
 * invariant of the located SKU checked after each step.
 */

const outboxOf = (sku: string, type: string) =>
  objectSql<{ data: string }>(sku, "SELECT data FROM outbox WHERE type = ? ORDER BY seq", type).then((rows) =>
    rows.map((r) => JSON.parse(r.data) as Record<string, unknown>),
  );

describe("location transfers", () => {
  it("moves units out of `from` into transit, receives them in part and in full at `to`, and audits each step", async () => {
    const sku = await locatedSku({ "wh-a": 10, "wh-b": 0 });
    const before = await located(sku);
    const created = await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 4, reference: "PO-1" });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ sku, from: "wh-a", to: "wh-b", quantity: 4, received: 0, inTransit: 4, status: "in_transit" });
    expect(created.body.transferId).toMatch(new RegExp(`^ltr_[0-9a-f]{24}_${sku}$`));
    expect(created.body.version).toBe(before.version + 1);
    expect(created.headers.get("etag")).toBe(`"${before.version + 1}"`);
    let now = await located(sku);
    expect(now.locations["wh-a"]).toMatchObject({ onHand: 6, inTransit: 4 });
    expect(now.locations["wh-b"]).toMatchObject({ onHand: 0, inTransit: 0 });
    await expectLocatedInvariants(sku);
    const id = created.body.transferId as string;

    const part = await receiveTransfer(id, 1);
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    expect(part.body).toMatchObject({ received: 1, inTransit: 3, status: "in_transit", version: before.version + 2 });
    now = await located(sku);
    expect(now.locations["wh-a"]).toMatchObject({ onHand: 6, inTransit: 3 });
    expect(now.locations["wh-b"]).toMatchObject({ onHand: 1 });
    await expectLocatedInvariants(sku);

    const rest = await receiveTransfer(id);
    expect(rest.body).toMatchObject({ received: 4, inTransit: 0, status: "received", version: before.version + 3 });
    now = await located(sku);
    expect(now.locations["wh-a"]).toMatchObject({ onHand: 6, inTransit: 0 });
    expect(now.locations["wh-b"]).toMatchObject({ onHand: 4, available: 4 });
    await expectLocatedInvariants(sku);

    // The merchant's full audit recomputes the transfers' books from their rows.
    expect((await call(`/v1/skus/${sku}/stats`, { auth: ADMIN })).body.escrow.audit).toEqual({ ok: true, problems: [] });

    // A receipt without a key of a transfer received in full creates nothing.
    const again = await receiveTransfer(id);
    expectProblem(again, 409, "invalid_transfer_state");
    expect(again.body.transferStatus).toBe("received");
    expect((await located(sku)).version).toBe(before.version + 3);

    expect((await call(`/v1/transfers/${id}`, { auth: ADMIN })).body).toMatchObject({ status: "received", received: 4 });
    const events = [...(await outboxOf(sku, "transfer.created")), ...(await outboxOf(sku, "transfer.received"))];
    expect(events).toHaveLength(3);
    for (const e of events) {
      expect(e).toMatchObject({ transferId: id, from: "wh-a", to: "wh-b", quantity: 4 });
      const locations = (e.levels as { locations: Array<{ location: string }> }).locations.map((l) => l.location).sort();
      expect(locations).toEqual(["wh-a", "wh-b"]);
    }
  });

  it("cancels after a partial receipt: what was not received goes back to `from`, once", async () => {
    const sku = await locatedSku({ "wh-a": 10, "wh-b": 2 });
    const { transferId } = (await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 5 })).body;
    expect((await receiveTransfer(transferId, 2)).status).toBe(200);
    const cancelled = await cancelTransfer(transferId);
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: "cancelled", received: 2, cancelled: 3, inTransit: 0 });
    const after = await located(sku);
    expect(after.locations["wh-a"]).toMatchObject({ onHand: 8, inTransit: 0 });
    expect(after.locations["wh-b"]).toMatchObject({ onHand: 4 });
    await expectLocatedInvariants(sku);

    // A second cancel moves nothing and changes no version; a receipt after it is refused.
    const twice = await cancelTransfer(transferId);
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ status: "cancelled", cancelled: 3, version: after.version });
    expectProblem(await receiveTransfer(transferId, 1), 409, "invalid_transfer_state");
    expect(await located(sku)).toEqual(after);
    expect(await outboxOf(sku, "transfer.cancelled")).toHaveLength(1);
    expect((await outboxOf(sku, "transfer.cancelled"))[0]).toMatchObject({ from: "wh-a", to: "wh-b", returned: 3 });
  });

  it("refuses what it cannot do, changing nothing", async () => {
    const sku = await locatedSku({ "wh-a": 5, "wh-b": 0 });
    const customer = unique("shopper");
    // Two of wh-a's units are held (the SKU's only stock is there): a transfer takes only the rest.
    const held = await hold(sku, customer, 2);
    expect(held.status).toBe(201);
    const before = await located(sku);
    const tooMany = await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 4 });
    expectProblem(tooMany, 409, "insufficient_stock");
    expect(tooMany.body.available).toBe(3);
    expectProblem(await createTransfer({ sku, from: "wh-a", to: "wh-z", quantity: 1 }), 404, "not_found");
    expectProblem(await createTransfer({ sku, from: "wh-a", to: "wh-a", quantity: 1 }), 400, "invalid_request");
    expectProblem(await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 0 }), 400, "invalid_request");
    expectProblem(await createTransfer({ sku: unique("nobody"), from: "wh-a", to: "wh-b", quantity: 1 }), 404, "not_found");
    const { transferId } = (await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 3 })).body;
    const over = await receiveTransfer(transferId, 4);
    expectProblem(over, 409, "invalid_transfer_state");
    expect(over.body).toMatchObject({ transferStatus: "in_transit", inTransit: 3 });
    expectProblem(await receiveTransfer(`ltr_${"0".repeat(24)}_${sku}`), 404, "not_found");
    expectProblem(await call("/v1/transfers/ltr_nope", { auth: ADMIN }), 400, "invalid_request");
    expect((await located(sku)).version).toBe(before.version + 1);
    await expectLocatedInvariants(sku);
  });

  it("honours If-Match: a stale version is 412 with the current one, and of two writers with the same version exactly one wins", async () => {
    const sku = await locatedSku({ "wh-a": 10, "wh-b": 0 });
    const { version } = await located(sku);
    const stale = await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 1 }, { "if-match": `"${version - 1}"` });
    expectProblem(stale, 412, "version_conflict");
    expect(stale.body.currentVersion).toBe(version);
    const race = await Promise.all(
      [1, 2].map((q) => createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: q }, { "if-match": `W/"${version}"` })),
    );
    expect(race.map((r) => r.status).sort()).toEqual([201, 412]);
    const { transferId } = race.find((r) => r.status === 201)!.body;
    expectProblem(await receiveTransfer(transferId, 1, { "if-match": String(version) }), 412, "version_conflict");
    expect((await receiveTransfer(transferId, 1, { "if-match": String(version + 1) })).status).toBe(200);
    expect((await located(sku)).version).toBe(version + 2);
    await expectLocatedInvariants(sku);
  });

  it("runs each step once under retries with its key: the same reply, no second move", async () => {
    const sku = await locatedSku({ "wh-a": 10, "wh-b": 0 });
    const body = { sku, from: "wh-a", to: "wh-b", quantity: 6 };
    const key = { "idempotency-key": unique("create") };
    const first = await createTransfer(body, key);
    const retry = await createTransfer(body, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.body).toEqual(first.body);
    expectProblem(await createTransfer({ ...body, quantity: 5 }, key), 422, "idempotency_key_reused");
    const id = first.body.transferId as string;
    const rKey = { "idempotency-key": unique("receive") };
    const r1 = await receiveTransfer(id, 6, rKey);
    const r2 = await receiveTransfer(id, 6, rKey);
    expect(r2.status).toBe(200);
    expect(r2.headers.get("idempotent-replayed")).toBe("true");
    expect(r2.body).toEqual(r1.body);
    const after = await located(sku);
    expect(after.locations["wh-a"]).toMatchObject({ onHand: 4, inTransit: 0 });
    expect(after.locations["wh-b"]).toMatchObject({ onHand: 6 });
    expect(await outboxOf(sku, "transfer.created")).toHaveLength(1);
    expect(await outboxOf(sku, "transfer.received")).toHaveLength(1);

    const other = (await createTransfer({ sku, from: "wh-b", to: "wh-a", quantity: 2 })).body.transferId as string;
    const cKey = { "idempotency-key": unique("cancel") };
    const c1 = await cancelTransfer(other, cKey);
    const c2 = await cancelTransfer(other, cKey);
    expect(c2.headers.get("idempotent-replayed")).toBe("true");
    expect(c2.body).toEqual(c1.body);
    expect(await outboxOf(sku, "transfer.cancelled")).toHaveLength(1);
    await expectLocatedInvariants(sku);
  });

  it("survives a restart of the object between steps and after a step whose reply was lost", async () => {
    const sku = await locatedSku({ "wh-a": 7, "wh-b": 1 });
    const restart = () => evictDurableObject(env.SKU.getByName(sku)).catch(() => undefined);
    const key = { "idempotency-key": unique("create") };
    const created = await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 5 }, key);
    // The step committed; the caller never saw the answer, the object restarts, the caller retries.
    await restart();
    const retried = await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 5 }, key);
    expect(retried.body).toEqual(created.body);
    expect(retried.headers.get("idempotent-replayed")).toBe("true");
    await expectLocatedInvariants(sku);
    const id = created.body.transferId as string;
    const rKey = { "idempotency-key": unique("receive") };
    expect((await receiveTransfer(id, 2, rKey)).status).toBe(200);
    await restart();
    expect((await receiveTransfer(id, 2, rKey)).headers.get("idempotent-replayed")).toBe("true");
    await expectLocatedInvariants(sku);
    await restart();
    expect((await cancelTransfer(id)).body).toMatchObject({ status: "cancelled", received: 2, cancelled: 3 });
    await restart();
    const end = await located(sku);
    expect(end.locations["wh-a"]).toMatchObject({ onHand: 5, inTransit: 0 });
    expect(end.locations["wh-b"]).toMatchObject({ onHand: 3 });
    await expectLocatedInvariants(sku);
  });

  it("a step that fails inside its transaction leaves nothing behind, and re-driven it applies once", async () => {
    const sku = await locatedSku({ "wh-a": 6, "wh-b": 0 });
    const id = (await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 4 })).body.transferId as string;
    // Corrupt the source's in-transit units: the receipt's check of the transfers' books must refuse and roll back.
    await objectSql(sku, "UPDATE locations SET in_transit = in_transit + 1 WHERE location_id = 'wh-a'");
    await objectSql(sku, "UPDATE sku SET in_transit = in_transit + 1, on_hand = on_hand - 1");
    const key = { "idempotency-key": unique("receive") };
    expectProblem(await receiveTransfer(id, 4, key), 500, "internal");
    const audit = (await call(`/v1/skus/${sku}/stats`, { auth: ADMIN })).body.escrow.audit;
    expect(audit.problems.join("\n"), JSON.stringify(audit)).toMatch(/location wh-a: in_transit 5 != open transfers 4/);
    expect((await call(`/v1/transfers/${id}`, { auth: ADMIN })).body).toMatchObject({ received: 0, status: "in_transit" });
    await objectSql(sku, "UPDATE locations SET in_transit = in_transit - 1 WHERE location_id = 'wh-a'");
    await objectSql(sku, "UPDATE sku SET in_transit = in_transit - 1, on_hand = on_hand + 1");
    // The failed attempt stored no reply: the same key now runs the step, once.
    const redriven = await receiveTransfer(id, 4, key);
    expect(redriven.status).toBe(200);
    expect(redriven.headers.get("idempotent-replayed")).toBeNull();
    expect((await located(sku)).locations["wh-b"]).toMatchObject({ onHand: 4 });
    await expectLocatedInvariants(sku);
  });

  it("concurrent receipts that together exceed what is in transit receive exactly what was sent", async () => {
    const sku = await locatedSku({ "wh-a": 9, "wh-b": 0 });
    const id = (await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 7 })).body.transferId as string;
    const answers = await Promise.all(Array.from({ length: 6 }, () => receiveTransfer(id, 2)));
    const ok = answers.filter((a) => a.status === 200);
    expect(ok).toHaveLength(3);
    for (const a of answers.filter((x) => x.status !== 200)) expectProblem(a, 409, "invalid_transfer_state");
    expect((await receiveTransfer(id)).body).toMatchObject({ received: 7, status: "received" });
    const end = await located(sku);
    expect(end.locations["wh-b"]).toMatchObject({ onHand: 7 });
    expect(end.locations["wh-a"]).toMatchObject({ onHand: 2, inTransit: 0 });
    await expectLocatedInvariants(sku);
  });

  it("lists a SKU's transfers newest first, by status, a page at a time", async () => {
    const sku = await locatedSku({ "wh-a": 10, "wh-b": 0 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createTransfer({ sku, from: "wh-a", to: "wh-b", quantity: 1 })).body.transferId);
    await receiveTransfer(ids[0]!);
    const page1 = await call(`/v1/transfers?sku=${sku}&limit=2`, { auth: ADMIN });
    expect(page1.status).toBe(200);
    const page2 = await call(`/v1/transfers?sku=${sku}&limit=2&cursor=${page1.body.nextCursor}`, { auth: ADMIN });
    const all = [...page1.body.data, ...page2.body.data].map((t: { transferId: string }) => t.transferId);
    expect(new Set(all)).toEqual(new Set(ids));
    expect(page2.body.nextCursor).toBeNull();
    const open = await call(`/v1/transfers?sku=${sku}&status=in_transit`, { auth: ADMIN });
    expect(open.body.data.map((t: { transferId: string }) => t.transferId).sort()).toEqual([ids[1], ids[2]].sort());
    expectProblem(await call("/v1/transfers", { auth: ADMIN }), 400, "invalid_request");
    expectProblem(await call(`/v1/transfers?sku=${unique("nobody")}`, { auth: ADMIN }), 404, "not_found");
  });
});
