/**
 * `npm run audit:verify`'s check (scripts/audit-verify/check.ts) on real
 * exports from the Worker: a genuine one holds with the public key alone; a
 * forged checkpoint, one signed by another key, and a replayed older one are
 * refused.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkExport } from "../../scripts/audit-verify/check.ts";
import { checkpointsStub } from "../../src/audit/export";
import { signCheckpoint, signingKey } from "../../src/audit/checkpoint";
import { ADMIN, call, createSku, restock } from "../support/helpers";
import { flushOutbox } from "../support/outbox";

const exportOf = async (stream: string) => {
  const res = await call(`/v1/audit/export?stream=${encodeURIComponent(stream)}`, { auth: ADMIN });
  expect(res.status).toBe(200);
  return res.body;
};

describe("the standalone audit verifier", () => {
  it("holds for a genuine export and refuses a forged or replayed checkpoint", async () => {
    const { body: key } = await call("/v1/audit/key", { auth: ADMIN });
    const sku = await createSku({ stock: 3 });
    await flushOutbox(sku);
    const stream = `sku:${sku}`;
    await checkpointsStub(env).makeCheckpoint(Date.now());
    const old = await exportOf(stream);
    expect(await checkExport(old, key.publicKey)).toMatchObject({
      ok: true,
      stream,
      events: 2,
      checkpoint: { seq: old.checkpoint.body.seq },
    });

    // Forged: the signed body altered (more events than were signed).
    const forged = { ...old, checkpoint: { ...old.checkpoint, body: { ...old.checkpoint.body, events: old.checkpoint.body.events + 1 } } };
    expect(await checkExport(forged, key.publicKey)).toMatchObject({ ok: false, reason: expect.stringMatching(/forged or altered/) });
    // Forged: a well-formed checkpoint over a rewritten head, signed by a key that is not holdfast's.
    const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
    const rogue = (await signingKey({ AUDIT_SIGNING_KEY: JSON.stringify(jwk) }))!;
    const fake = await signCheckpoint(rogue, [{ stream, seq: 2, hash: old.events[1].hash }], 99, Date.now());
    const signedByRogue = { ...old, checkpoint: fake, proof: { index: 0, size: 1, path: [] } };
    expect(await checkExport(signedByRogue, key.publicKey)).toMatchObject({ ok: false, reason: expect.stringMatching(/forged/) });
    expect(await checkExport(signedByRogue, rogue.publicKey)).toMatchObject({ ok: true });

    // Replayed: the stream moves on, and the old checkpoint is passed off with the longer export.
    await restock(sku, 1);
    await flushOutbox(sku);
    await checkpointsStub(env).makeCheckpoint(Date.now());
    const now = await exportOf(stream);
    expect(now.checkpoint.body.seq).toBeGreaterThan(old.checkpoint.body.seq);
    expect(await checkExport(now, key.publicKey)).toMatchObject({ ok: true, events: 3 });
    const replayed = { ...now, checkpoint: old.checkpoint, proof: old.proof };
    expect(await checkExport(replayed, key.publicKey)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not the one checkpoint .* signed/),
    });
    // And an old checkpoint with its own old export, once a newer one was seen.
    const seen = { minCheckpointSeq: now.checkpoint.body.seq };
    expect(await checkExport(old, key.publicKey, seen)).toMatchObject({ ok: false, reason: expect.stringMatching(/replayed/) });
    // A tampered event in the export.
    const edited = {
      ...now,
      events: now.events.map((e: { seq: number; data: string }) =>
        e.seq === 2 ? { ...e, data: e.data.replace('"delta":3', '"delta":30') } : e,
      ),
    };
    expect(await checkExport(edited, key.publicKey)).toMatchObject({ ok: false, reason: expect.stringMatching(/event 2/) });
  });
});
