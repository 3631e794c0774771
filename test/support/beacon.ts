import { createHash } from "node:crypto";
import { bls12_381 } from "@noble/curves/bls12-381.js";

/**
 * A local drand-style beacon for the tests (the suite cannot reach drand): the
 * same scheme as quicknet (bls-unchained-g1-rfc9380: a G1 signature over
 * sha256(round, 8 bytes big-endian), randomness = sha256(signature)) with a
 * test key, a 1 s period and its own chain hash. The worker verifies its
 * rounds with src/waiting-room/beacon.ts exactly as it verifies drand's.
 * Served in the chain of Miniflare's `outboundService` (vitest.config.ts);
 * like drand it refuses a round that is not out yet.
 */
const DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
const SECRET_KEY = createHash("sha256").update("holdfast test beacon").digest();

export const TEST_BEACON = {
  url: "https://drand.test",
  chainHash: createHash("sha256").update("holdfast test chain").digest("hex"),
  publicKey: Buffer.from(bls12_381.shortSignatures.getPublicKey(SECRET_KEY).toBytes()).toString("hex"),
  genesisSeconds: 1_700_000_000,
  periodSeconds: 1,
};

/** The worker's bindings that point the lottery at this beacon (and close draws 3 s before the start: two 1 s rounds and the draw fit). */
export const TEST_BEACON_BINDINGS = {
  DRAND_URL: TEST_BEACON.url,
  DRAND_CHAIN_HASH: TEST_BEACON.chainHash,
  DRAND_PUBLIC_KEY: TEST_BEACON.publicKey,
  DRAND_GENESIS_SECONDS: String(TEST_BEACON.genesisSeconds),
  DRAND_PERIOD_SECONDS: String(TEST_BEACON.periodSeconds),
  LOTTERY_CLOSE_LEAD_SECONDS: "3",
};

/** Round `round` as the beacon publishes it, signed with `secretKey` (another key: a forgery). */
export function signRound(round: number, secretKey: Uint8Array = SECRET_KEY) {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(round));
  const sigs = bls12_381.shortSignatures;
  const signature = Buffer.from(sigs.sign(sigs.hash(createHash("sha256").update(message).digest(), DST), secretKey).toBytes()).toString(
    "hex",
  );
  return { round, randomness: createHash("sha256").update(Buffer.from(signature, "hex")).digest("hex"), signature };
}

export function latestRound(now_ms = Date.now()): number {
  return Math.floor((now_ms / 1000 - TEST_BEACON.genesisSeconds) / TEST_BEACON.periodSeconds) + 1;
}

export async function fakeBeaconOutbound(request: Request, next: (request: Request) => Promise<Response>): Promise<Response> {
  const url = new URL(request.url);
  if (url.origin !== TEST_BEACON.url) return next(request);
  const m = url.pathname.match(/^\/([0-9a-f]{64})\/public\/(\d+)$/);
  if (!m || m[1] !== TEST_BEACON.chainHash) return new Response("not found", { status: 404 });
  const round = Number(m[2]);
  if (round > latestRound()) return new Response("round not yet available", { status: 425 });
  return Response.json(signRound(round));
}
