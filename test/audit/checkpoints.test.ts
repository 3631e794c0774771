import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eventHash, GENESIS_HASH } from "../../src/audit/chain";
import { checkpointsStub } from "../../src/audit/export";
import { headLeafText, leafHash, rootFromPath } from "../../src/audit/merkle";
import { canonicalJson } from "../../src/domain/canonical-json";
import { fromBase64url } from "../../src/platform/base64url";
import { ADMIN, call, createSku, expectProblem, restock, shopperToken } from "../support/helpers";
import { flushOutbox } from "../support/outbox";

async function checkSignature(publicKey: string, body: unknown, signature: string): Promise<boolean> {
  const key = await crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: publicKey }, { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, fromBase64url(signature)!, new TextEncoder().encode(canonicalJson(body)));
}

describe("signed audit checkpoints", () => {
  it("signs a Merkle root over every stream's head, and an export checks against it with the public key alone", async () => {
    const sku = await createSku({ stock: 4 });
    await restock(sku, 1);
    await flushOutbox(sku);
    const made = await checkpointsStub(env).makeCheckpoint(Date.now());
    expect(made).not.toBeNull();
    const { body: key } = await call("/v1/audit/key", { auth: ADMIN });
    expect(key).toMatchObject({ alg: "Ed25519", keyId: made!.body.keyId });

    const list = await call("/v1/audit/checkpoints?limit=1", { auth: ADMIN });
    expect(list.status).toBe(200);
    expect(list.body.data[0]).toEqual(made);
    expect(await checkSignature(key.publicKey, made!.body, made!.signature)).toBe(true);
    // The same body with one count changed is not what was signed.
    expect(await checkSignature(key.publicKey, { ...made!.body, events: made!.body.events + 1 }, made!.signature)).toBe(false);

    const stream = `sku:${sku}`;
    const exp = await call(`/v1/audit/export?stream=${encodeURIComponent(stream)}`, { auth: ADMIN });
    expect(exp.status).toBe(200);
    expect(exp.body.checkpoint).toEqual(made);
    let prev = GENESIS_HASH;
    for (const e of exp.body.events) {
      expect(e.prevHash).toBe(prev);
      expect(eventHash(prev, e)).toBe(e.hash);
      prev = e.hash;
    }
    expect(exp.body.events.length).toBe(3);
    const leaf = await leafHash(headLeafText({ stream, seq: 3, hash: prev }));
    const { index, size, path } = exp.body.proof;
    expect(size).toBe(made!.body.streams);
    expect(await rootFromPath(index, size, leaf, path)).toBe(made!.body.root);
    // Another head for the stream does not lead to the signed root.
    expect(await rootFromPath(index, size, await leafHash(headLeafText({ stream, seq: 2, hash: prev })), path)).not.toBe(made!.body.root);
  });

  it("makes a new checkpoint only when some stream moved", async () => {
    const sku = await createSku({ stock: 1 });
    await flushOutbox(sku);
    const a = await checkpointsStub(env).makeCheckpoint(Date.now());
    const again = await checkpointsStub(env).makeCheckpoint(Date.now() + 60_000);
    expect(again).toEqual(a);
    await restock(sku, 1);
    await flushOutbox(sku);
    const b = await checkpointsStub(env).makeCheckpoint(Date.now() + 120_000);
    expect(b!.body.seq).toBe(a!.body.seq + 1);
    expect(b!.body.events).toBe(a!.body.events + 1);
    // Newest first, page by page through the one cursor codec.
    const first = await call("/v1/audit/checkpoints?limit=1", { auth: ADMIN });
    expect(first.body.data[0].body.seq).toBe(b!.body.seq);
    const second = await call(`/v1/audit/checkpoints?limit=1&cursor=${first.body.nextCursor}`, { auth: ADMIN });
    expect(second.body.data[0].body.seq).toBe(a!.body.seq);
  });

  it("is for the merchant, refuses foreign cursors, and answers 404 for a stream no checkpoint covers", async () => {
    expectProblem(await call("/v1/audit/checkpoints"), 401, "unauthorized");
    expectProblem(await call("/v1/audit/key", { auth: await shopperToken("eve") }), 403, "forbidden");
    expectProblem(await call("/v1/audit/checkpoints?cursor=AAAA", { auth: ADMIN }), 400, "invalid_request");
    expectProblem(await call("/v1/audit/export?stream=sku:never-made", { auth: ADMIN }), 404, "not_found");
    expectProblem(await call("/v1/audit/export", { auth: ADMIN }), 400, "invalid_request");
  });
});
