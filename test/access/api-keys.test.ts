import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { apiKey } from "../support/api-keys";
import { ADMIN, call, createSku, expectProblem, hold, shopperToken, sleep, unique } from "../support/helpers";

/** Spec §12: keys made by an owner, the secret shown once and kept as a hash, listed, expiring, revoked. */
describe("API keys", () => {
  it("shows the secret once, keeps only its hash, and lists the key without it", async () => {
    const created = await call("/v1/api-keys", { auth: ADMIN, body: { name: "till 1", role: "manager" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "till 1", role: "manager", locations: null, createdBy: "root", expiresAt: null });
    expect(created.body.secret).toMatch(/^hf_[A-Za-z0-9_-]{43}$/);

    const stored = await env.DB.prepare("SELECT * FROM api_keys WHERE key_id = ?").bind(created.body.keyId).first();
    expect(JSON.stringify(stored)).not.toContain(created.body.secret.slice(3));

    const listed = await call("/v1/api-keys", { auth: ADMIN });
    const row = listed.body.data.find((k: { keyId: string }) => k.keyId === created.body.keyId);
    expect(row).toMatchObject({ name: "till 1", lastUsedAt: null, revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
  });

  it("works with its role and records when it was last used", async () => {
    const manager = await apiKey("manager");
    const sku = unique("key-sku");
    expect(
      (await call(`/v1/skus/${sku}`, { method: "PUT", auth: manager.auth, body: { name: "Tee", price: { amount: 900, currency: "usd" } } }))
        .status,
    ).toBe(201);
    const listed = await call("/v1/api-keys", { auth: ADMIN });
    const row = listed.body.data.find((k: { keyId: string }) => k.keyId === manager.keyId);
    expect(Date.parse(row.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("is created, listed and revoked by owners only", async () => {
    const owner = await apiKey("owner");
    const made = await call("/v1/api-keys", { auth: owner.auth, body: { name: "by an owner key", role: "viewer" } });
    expect(made.body.createdBy).toBe(owner.keyId);
    for (const role of ["manager", "fulfillment", "viewer"] as const) {
      const key = await apiKey(role);
      expectProblem(await call("/v1/api-keys", { auth: key.auth, body: { name: "x", role: "owner" } }), 403, "forbidden");
      expectProblem(await call("/v1/api-keys", { auth: key.auth }), 403, "forbidden");
      expectProblem(await call(`/v1/api-keys/${owner.keyId}`, { method: "DELETE", auth: key.auth }), 403, "forbidden");
    }
    expectProblem(await call("/v1/api-keys", { auth: await shopperToken("alice"), body: { name: "x", role: "owner" } }), 403, "forbidden");
    expectProblem(await call("/v1/api-keys", { body: { name: "x", role: "owner" } }), 401, "unauthorized");
  });

  it("refuses a bad key request without making one", async () => {
    const before = (await call("/v1/api-keys", { auth: ADMIN })).body.data.length;
    for (const body of [
      { name: "x", role: "admin" },
      { name: "", role: "viewer" },
      { name: "x", role: "owner", locations: ["store-1"] },
      { name: "x", role: "viewer", expiresAt: "2020-01-01T00:00:00Z" },
      { name: "x", role: "viewer", secret: "hf_mine" },
    ]) {
      expectProblem(await call("/v1/api-keys", { auth: ADMIN, body }), 400, "invalid_request");
    }
    expect((await call("/v1/api-keys", { auth: ADMIN })).body.data.length).toBe(before);
  });

  it("stops working when it expires", async () => {
    const key = await apiKey("viewer", { expiresAt: new Date(Date.now() + 1_500).toISOString() });
    expect((await call("/v1/skus", { auth: key.auth })).status).toBe(200);
    await sleep(1_600);
    const refused = await call("/v1/skus", { auth: key.auth });
    expectProblem(refused, 401, "unauthorized");
    expect(refused.body.detail).toContain("expired");
  });

  it("is refused once revoked, and revoking it again changes nothing", async () => {
    const key = await apiKey("manager");
    expect((await call("/v1/skus", { auth: key.auth })).status).toBe(200);
    const revoked = await call(`/v1/api-keys/${key.keyId}`, { method: "DELETE", auth: ADMIN });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    const refused = await call("/v1/skus", { auth: key.auth });
    expectProblem(refused, 401, "unauthorized");
    expect(refused.body.detail).toContain("revoked");
    const again = await call(`/v1/api-keys/${key.keyId}`, { method: "DELETE", auth: ADMIN });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
    expectProblem(await call("/v1/api-keys/key_0000000000000000", { method: "DELETE", auth: ADMIN }), 404, "not_found");
    expectProblem(await call("/v1/api-keys/nope", { method: "DELETE", auth: ADMIN }), 400, "invalid_request");
  });

  it("refuses a secret that was never issued", async () => {
    expectProblem(await call("/v1/skus", { auth: `Bearer hf_${"A".repeat(43)}` }), 401, "unauthorized");
  });

  it("scoped to locations, is refused every call not limited to locations", async () => {
    const key = await apiKey("manager", { locations: ["store-1"] });
    expectProblem(await call("/v1/skus", { auth: key.auth }), 403, "forbidden");
    // Only the routes declared location-scoped serve it (test/access/location-scopes.test.ts), such as the one that says what the key is.
    expect((await call("/v1/access", { auth: key.auth })).body).toEqual({ keyId: key.keyId, role: "manager", locations: ["store-1"] });
  });

  it("as a viewer, reads holds and orders without the customer's id", async () => {
    const sku = await createSku({ stock: 5 });
    const customer = unique("viewer-seen");
    const h = await hold(sku, customer, 1);
    const viewer = await apiKey("viewer");
    const seen = await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, { auth: viewer.auth });
    expect(seen.status).toBe(200);
    expect(seen.body.customerId).toBe("redacted");
    const listed = await call(`/v1/skus/${sku}/holds`, { auth: viewer.auth });
    expect(JSON.stringify(listed.body)).not.toContain(customer);
    expect(listed.body.data.length).toBe(1);
    // The owner still sees it.
    expect((await call(`/v1/skus/${sku}/holds/${h.body.holdId}`, { auth: ADMIN })).body.customerId).toBe(customer);
  });
});
