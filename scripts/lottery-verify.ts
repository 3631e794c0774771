/**
 * `npm run lottery:verify -- <saleId> [--url https://holdfast.example] [--beacon-url https://api.drand.sh] [--me <customerId>]`
 *
 * Checks a sale's lottery from what anyone can fetch (spec §9,
 * docs/waiting-room.md "Checking a draw"), trusting the server for nothing:
 *   1. the draw: commitment (root, entrants per join shard), beacon round, randomness, signature;
 *   2. every shard's entrant list (join order) rebuilds its Merkle root (RFC 6962's tree), and the shard roots the root;
 *   3. the round, fetched from the beacon itself, is the one published, signed by the
 *      chain's key (BLS12-381, @noble/curves), and emitted after the commitment;
 *   4. the order: each entrant's place from their global index (shard order, then list order)
 *      by the published permutation (drawPlaces below), printed one per line (rank, entrant id,
 *      the item whose line they entered; each item's line admits in this order) to stdout;
 *      with --me, that customer's entrant id and rank on stderr.
 * It restates the algorithm rather than importing the Worker's code on purpose: it is the
 * independent check. Exit 1 on any mismatch.
 */
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { bls12_381 } from "@noble/curves/bls12-381.js";

const DST = "BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_";
const PAGES_MAX = 100_000;

const sha = (...parts: Array<Buffer | string>) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};

/** leaf = sha256(0x00 || id || sku), node = sha256(0x01 || l || r), an unpaired node moves up (this is RFC 6962's tree), no leaves = sha256(""). */
function merkleRoot(leaves: Buffer[]): string {
  if (leaves.length === 0) return sha("").toString("hex");
  let level = leaves;
  while (level.length > 1) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(i + 1 < level.length ? sha(Buffer.from([1]), level[i]!, level[i + 1]!) : level[i]!);
    level = up;
  }
  return level[0]!.toString("hex");
}

/**
 * Each global index's place (0: first): a 10-round Feistel permutation over
 * 2h bits with sha256 as its round function, cycle-walked into 0..n-1.
 */
function drawPlaces(randomness: string, n: number): number[] {
  const w = n > 1 ? (n - 1).toString(2).length : 0;
  const h = Math.max(1, Math.ceil(w / 2));
  const size = 2 ** h;
  const f = (r: number, x: number) => Number.parseInt(sha(`${randomness}:${r}:${x}`).toString("hex").slice(0, 8), 16) % size;
  const e = (x: number) => {
    let [l, r] = [Math.floor(x / size), x % size];
    for (let round = 0; round < 10; round++) [l, r] = [r, (l ^ f(round, r)) >>> 0];
    return l * size + r;
  };
  return Array.from({ length: n }, (_, j) => {
    let y = e(j);
    for (let i = 0; y >= n && i < size * size; i++) y = e(y);
    return y;
  });
}

function fail(message: string): never {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field and checked by the recomputation itself.
async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  if (!res.ok) fail(`${url} answered ${res.status}`);
  return res.json();
}

const { values, positionals } = parseArgs({
  options: { url: { type: "string", default: "http://localhost:8787" }, "beacon-url": { type: "string" }, me: { type: "string" } },
  allowPositionals: true,
});
const saleId = positionals[0];
if (!saleId) {
  console.error("usage: npm run lottery:verify -- <saleId> [--url <api>] [--beacon-url <drand api>] [--me <customerId>]");
  process.exit(2);
}
const api = values.url!.replace(/\/$/, "");

const draw = await getJson(`${api}/v1/sales/${encodeURIComponent(saleId)}/queue/draw`);
if (draw.mode !== "lottery") fail(`sale ${saleId} is not a lottery`);
if (!draw.commitment || !draw.beacon || !draw.reveal) fail("the draw is not revealed yet (no commitment, beacon round or randomness)");
console.error(`draw ${draw.epoch}: ${draw.commitment.entrants} entrants, root ${draw.commitment.root}, round ${draw.beacon.round}`);

// 2. The entrant lists rebuild the commitment.
type Entrant = { entrantId: string; sku: string };
const entrants: Entrant[] = [];
const shardRoots: Buffer[] = [];
for (const [shard, published] of (draw.commitment.shards as Array<{ root: string; entrants: number }>).entries()) {
  const ids: Entrant[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < PAGES_MAX; page++) {
    const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const body = await getJson(`${api}/v1/sales/${encodeURIComponent(saleId)}/queue/draw/entrants?shard=${shard}${q}`);
    ids.push(...body.entrants);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  const root = merkleRoot(ids.map((e) => sha(Buffer.from([0]), Buffer.from(e.entrantId, "hex"), e.sku)));
  if (root !== published.root || ids.length !== published.entrants)
    fail(
      `shard ${shard}: its list gives root ${root} (${ids.length} entrants), the commitment says ${published.root} (${published.entrants})`,
    );
  shardRoots.push(Buffer.from(root, "hex"));
  entrants.push(...ids);
}
if (merkleRoot(shardRoots) !== draw.commitment.root) fail("the shard roots do not give the committed root");
console.error("commitment: rebuilt from the entrant lists ✓");

// 3. The round, from the beacon itself, signed by the chain's key, after the commitment.
const b = draw.beacon;
const beaconUrl = (values["beacon-url"] ?? b.url).replace(/\/$/, "");
const round = await getJson(`${beaconUrl}/${b.chainHash}/public/${b.round}`);
if (round.signature !== draw.reveal.signature || round.randomness !== draw.reveal.randomness)
  fail("the beacon's round differs from the published one");
const message = Buffer.alloc(8);
message.writeBigUInt64BE(BigInt(b.round));
const sigs = bls12_381.shortSignatures;
if (!sigs.verify(Buffer.from(round.signature, "hex"), sigs.hash(sha(message), DST), Buffer.from(b.publicKey, "hex")))
  fail("bad BLS signature");
if (sha(Buffer.from(round.signature, "hex")).toString("hex") !== round.randomness) fail("randomness is not sha256(signature)");
const roundAtMs = (b.genesisTime + (b.round - 1) * b.periodSeconds) * 1000;
if (roundAtMs <= Date.parse(draw.commitment.committedAt)) fail("the round was emitted before the commitment");
console.error(
  `beacon: round ${b.round} of chain ${b.chainHash} verified, emitted ${new Date(roundAtMs).toISOString()} after the commitment ✓`,
);
console.error(`  (check the chain's key yourself: ${beaconUrl}/${b.chainHash}/info should show public_key ${b.publicKey.slice(0, 16)}…)`);

// 4. The order: entrants in shard order then list order are global indexes 0..n-1; the permutation gives each its place.
const places = drawPlaces(draw.reveal.randomness, entrants.length);
const keyed = entrants.map((e, j) => ({ id: e.entrantId, sku: e.sku, place: places[j]! }));
keyed.sort((x, y) => x.place - y.place);
for (const [i, e] of keyed.entries()) console.log(`${i + 1} ${e.id} ${e.sku}`);
if (values.me) {
  const mine = sha(`holdfast-entrant:${saleId}:${values.me}`).toString("hex");
  const me = keyed.find((e) => e.id === mine);
  const line = keyed.filter((e) => e.sku === me?.sku);
  console.error(
    me === undefined
      ? `${values.me} (${mine}) is not an entrant`
      : `${values.me} (${mine}) is number ${line.indexOf(me) + 1} of ${line.length} in the line of ${me.sku} (${keyed.indexOf(me) + 1} of ${keyed.length} overall)`,
  );
}
