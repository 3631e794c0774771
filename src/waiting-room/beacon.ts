import { bls12_381 } from "@noble/curves/bls12-381.js";
import { z } from "zod";
import { envNumber } from "../platform/env-number";
import { createHash } from "node:crypto";

/**
 * The lottery's randomness (spec §9): a round of a public drand beacon that
 * is emitted after the entrants are committed, so nobody (holdfast's
 * operators included) knows it while they can still change who takes part.
 * A round is accepted only with a valid BLS signature by the chain's public
 * key; its randomness is sha256(signature), checked too.
 *
 * Scheme: drand's `bls-unchained-g1-rfc9380` (quicknet, the default): the
 * signature (48 bytes, G1) signs sha256(round as 8 bytes big-endian) under
 * the DST below; the group key is 96 bytes (G2). BLS12-381 comes from
 * @noble/curves (pinned): audited, dependency-free but for @noble/hashes, and
 * pure JS, so it runs in a Worker; pairing code is not something to write by
 * hand. Tests point DRAND_* at a local beacon with its own key
 * (test/support/beacon.ts); the verification is the same.
 */

export const BEACON_SCHEME = "bls-unchained-g1-rfc9380";
const DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";

/** drand quicknet (https://api.drand.sh/52db9ba7…/info). */
const QUICKNET = {
  url: "https://api.drand.sh",
  chainHash: "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971",
  publicKey:
    "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a",
  genesisSeconds: 1_692_803_367,
  periodSeconds: 3,
};

export type BeaconChain = typeof QUICKNET;

/** The chain the deployment draws from (DRAND_* in wrangler.toml; quicknet where one is unset). */
export function beaconChain(env: Env): BeaconChain {
  return {
    url: env.DRAND_URL || QUICKNET.url,
    chainHash: env.DRAND_CHAIN_HASH || QUICKNET.chainHash,
    publicKey: env.DRAND_PUBLIC_KEY || QUICKNET.publicKey,
    genesisSeconds: envNumber(env.DRAND_GENESIS_SECONDS, QUICKNET.genesisSeconds, { min: 0, integer: true }),
    periodSeconds: envNumber(env.DRAND_PERIOD_SECONDS, QUICKNET.periodSeconds, { min: 1, integer: true }),
  };
}

/** When round `round` is emitted (round 1 at genesis). */
export function roundTimeMs(chain: BeaconChain, round: number): number {
  return (chain.genesisSeconds + (round - 1) * chain.periodSeconds) * 1000;
}

/** The first round emitted at least one full period after `ms`: unknown to anyone at `ms`. */
export function roundAfter(chain: BeaconChain, ms: number): number {
  return Math.max(1, Math.ceil((ms / 1000 + chain.periodSeconds - chain.genesisSeconds) / chain.periodSeconds) + 1);
}

export const BeaconRound = z.object({
  round: z.number().int().positive(),
  randomness: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().regex(/^[0-9a-f]+$/),
});
export type BeaconRound = z.infer<typeof BeaconRound>;

/** The message a round's signature signs: sha256 of the round number, 8 bytes big-endian. */
export function roundMessage(round: number): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(BigInt(round));
  return createHash("sha256").update(bytes).digest();
}

/** Whether the round is the chain's: signed by its key over its number, and its randomness the signature's sha256. */
export function verifyRound(chain: BeaconChain, r: BeaconRound): boolean {
  if (createHash("sha256").update(Buffer.from(r.signature, "hex")).digest("hex") !== r.randomness) return false;
  try {
    const sigs = bls12_381.shortSignatures;
    return sigs.verify(Buffer.from(r.signature, "hex"), sigs.hash(roundMessage(r.round), DST), Buffer.from(chain.publicKey, "hex"));
  } catch {
    // A malformed point: not a signature of this chain.
    return false;
  }
}

const FETCH_TIMEOUT_MS = 3_000;

/** The round from the chain's HTTP API, verified; null if it is not out yet, unreachable or not the chain's. */
export async function fetchRound(chain: BeaconChain, round: number): Promise<BeaconRound | null> {
  try {
    const res = await fetch(`${chain.url}/${chain.chainHash}/public/${round}`, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok) return null;
    const parsed = BeaconRound.safeParse(await res.json());
    if (!parsed.success || parsed.data.round !== round || !verifyRound(chain, parsed.data)) return null;
    return parsed.data;
  } catch {
    return null;
  }
}
