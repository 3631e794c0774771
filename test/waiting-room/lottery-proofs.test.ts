import { createHash } from "node:crypto";
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import { EntrantLog } from "../../src/waiting-room/entrant-log";
import { JoinShard } from "../../src/waiting-room/join-shard";
import { entrantId } from "../../src/waiting-room/place";
import { unique } from "../support/helpers";
import { roundAfter, roundTimeMs, verifyRound } from "../../src/waiting-room/beacon";
import { leafHash, levelsOf, proofOf, rootFromProof, rootOf } from "../../src/waiting-room/merkle";
import { signRound, TEST_BEACON } from "../support/beacon";

/** The lottery's cryptography (spec §9): the entrant commitment's Merkle proofs, and the beacon's BLS verification. */

const SEED = Number(inject("modelSeed")) || Date.now() % 2_147_483_647;
const id = (i: number) => createHash("sha256").update(`entrant ${i}`).digest("hex");

describe("the entrant commitment", () => {
  it("proves every leaf of trees of 1 to 40 entrants, and no tampered leaf or step", async () => {
    for (let n = 1; n <= 40; n++) {
      const leaves = await Promise.all(Array.from({ length: n }, (_, i) => leafHash(id(i), "sku")));
      const levels = await levelsOf(leaves);
      const root = await rootOf(leaves);
      for (let i = 0; i < n; i++) {
        const steps = await proofOf(i, n, (level, j) => levels[level]![j]!.toString("hex"));
        expect(await rootFromProof(leaves[i]!, steps), `n=${n} i=${i}`).toBe(root);
        expect(await rootFromProof(await leafHash(id(n + i), "sku"), steps)).not.toBe(root);
        if (steps.length > 0) {
          const forged = steps.map((s, k) => (k === 0 ? { ...s, hash: id(999) } : s));
          expect(await rootFromProof(leaves[i]!, forged)).not.toBe(root);
        }
      }
    }
  });

  it("is RFC 6962's Merkle Tree Hash: the left subtree holds the largest power of two below the count", () => {
    const sha = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
    // MTH(D[n]) = sha256(0x01 || MTH(D[0:k]) || MTH(D[k:n])), k the largest power of two < n (RFC 6962 2.1), written out as the RFC states it.
    const mth = (leaves: Buffer[]): Buffer => {
      if (leaves.length === 1) return leaves[0]!;
      let k = 1;
      while (k * 2 < leaves.length) k *= 2;
      return sha(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)));
    };
    for (let n = 1; n <= 70; n++) {
      const leaves = Array.from({ length: n }, (_, i) => leafHash(id(i), "sku"));
      expect(rootOf(leaves), `n=${n}`).toBe(mth(leaves).toString("hex"));
    }
  });

  it(`keeps the tree by appends: every prefix's root and audit paths from the stored subtrees equal the batch tree's (seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 45 }), async (n) => {
        const saleId = unique("mlog");
        await runInDurableObject(env.WAITING_ROOM.getByName(`${saleId}#join-0`), (_o, state: DurableObjectState) => {
          const shard = new JoinShard(state.storage.sql);
          // Every third join without the sale: its leaf is hashed when the log catches up, and the tree still comes out the same.
          for (let i = 0; i < n; i++)
            shard.join(`c${i}`, 1_000 + i, { sku: "k", closesAtMs: 1e12, saleId: i % 3 === 2 ? undefined : saleId });
          const log = new EntrantLog(state.storage.sql);
          log.catchUp(saleId);
          expect(log.size()).toBe(n);
          const leaves = Array.from({ length: n }, (_, i) => leafHash(entrantId(saleId, `c${i}`), "k"));
          for (let m = 0; m <= n; m++) {
            const root = rootOf(leaves.slice(0, m));
            expect(log.rootAt(m), `prefix ${m} of ${n}`).toBe(root);
            for (let i = 0; i < m; i++) {
              const steps = log.proof(i, m);
              expect(rootFromProof(leaves[i]!, steps), `leaf ${i} of ${m}`).toBe(root);
              expect(rootFromProof(leafHash(entrantId(saleId, `x${i}`), "k"), steps)).not.toBe(root);
              expect(rootFromProof(leafHash(entrantId(saleId, `c${i}`), "other"), steps), "another item").not.toBe(root);
              if (steps.length > 0) {
                const tampered = steps.map((s, k) => (k === steps.length - 1 ? { ...s, hash: id(999) } : s));
                expect(rootFromProof(leaves[i]!, tampered)).not.toBe(root);
                const flipped = steps.map((s, k) =>
                  k === 0 ? { ...s, side: s.side === "left" ? ("right" as const) : ("left" as const) } : s,
                );
                expect(rootFromProof(leaves[i]!, flipped)).not.toBe(root);
              }
            }
          }
        });
      }),
      { seed: SEED, numRuns: 12 },
    );
  });

  it("has the documented shape: leaf = sha256(0x00 || id), node = sha256(0x01 || l || r), unpaired moves up, empty = sha256('')", async () => {
    const sha = (...parts: Buffer[]) => createHash("sha256").update(Buffer.concat(parts)).digest();
    const [l0, l1, l2] = [0, 1, 2].map((i) => sha(Buffer.from([0]), Buffer.from(id(i), "hex")));
    const n01 = sha(Buffer.from([1]), l0!, l1!);
    expect(await rootOf([l0!, l1!, l2!])).toBe(sha(Buffer.from([1]), n01, l2!).toString("hex"));
    expect(await rootOf([])).toBe(createHash("sha256").update("").digest("hex"));
  });
});

describe("the beacon", () => {
  const quicknet = {
    url: "https://api.drand.sh",
    chainHash: "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
    publicKey:
      "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
    genesisSeconds: 1_692_803_367,
    periodSeconds: 3,
  };

  it("verifies drand quicknet's published round 123, and refuses it as any other round", () => {
    // https://api.drand.sh/52db9ba7…/public/123 (also drand-verify's documented example).
    const signature = "b75c69d0b72a5d906e854e808ba7e2accb1542ac355ae486d591aa9d43765482e26cd02df835d3546d23c4b13e0dfc92";
    const randomness = createHash("sha256").update(Buffer.from(signature, "hex")).digest("hex");
    expect(verifyRound(quicknet, { round: 123, signature, randomness })).toBe(true);
    expect(verifyRound(quicknet, { round: 124, signature, randomness })).toBe(false);
  });

  it("accepts the test beacon's rounds under its key only, with the randomness their signature gives", () => {
    const round = signRound(4242);
    expect(verifyRound(TEST_BEACON, round)).toBe(true);
    expect(verifyRound(quicknet, round)).toBe(false);
    expect(verifyRound(TEST_BEACON, { ...round, randomness: "00".repeat(32) })).toBe(false);
    const forged = signRound(4242, createHash("sha256").update("not the beacon").digest());
    expect(verifyRound(TEST_BEACON, forged)).toBe(false);
    expect(verifyRound(TEST_BEACON, { ...round, signature: "ab".repeat(48) })).toBe(false);
  });

  it("picks a round emitted at least a full period after the commitment", () => {
    for (const ms of [quicknet.genesisSeconds * 1000, 1_800_000_000_000, 1_800_000_001_500, 1_800_000_002_999]) {
      const r = roundAfter(quicknet, ms);
      expect(roundTimeMs(quicknet, r) - ms).toBeGreaterThanOrEqual(quicknet.periodSeconds * 1000);
      expect(roundTimeMs(quicknet, r - 1) - ms).toBeLessThan(quicknet.periodSeconds * 1000);
    }
  });
});
