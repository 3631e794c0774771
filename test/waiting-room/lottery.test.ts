import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/domain/canonical-json";
import { joinShardCount, joinShardName } from "../../src/waiting-room/config";
import { shardOf } from "../../src/stock/addressing";
import { verifyRound } from "../../src/waiting-room/beacon";
import { leafHash, levelsOf, rootFromProof, rootOf } from "../../src/waiting-room/merkle";
import { drawPlace } from "../../src/waiting-room/place";
import { DrawShuffle } from "../../src/waiting-room/shuffle";
import { ADMIN, call, createSku, type Reply, shopperToken, sleep, unique } from "../support/helpers";
import { endQueuedSalesAfterAll, queuedItem as item } from "../support/queued-sales";

/**
 * The lottery nobody can rig (spec §9, issue 17 finding 4): the entrants are
 * committed when the pre-queue closes, the randomness comes from a beacon
 * round after that (the test beacon, test/support/beacon.ts, verified like
 * drand's), moving `startsAt` starts a new draw, and anyone recomputes the
 * order from what the API publishes. The test pool closes the draw 3 s before
 * `startsAt` (LOTTERY_CLOSE_LEAD_SECONDS) and the beacon ticks every second.
 */

const made = endQueuedSalesAfterAll();

async function putLottery(saleId: string, skus: string[], startsInMs: number) {
  const res = await call(`/v1/sales/${saleId}`, {
    method: "PUT",
    auth: ADMIN,
    body: {
      name: `Lottery ${saleId}`,
      startsAt: new Date(Date.now() + startsInMs).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      items: skus.map(item),
      queue: { mode: "lottery", prequeueSeconds: 600 },
    },
  });
  expect(res.status).toBeLessThan(300);
}

async function lotterySale(stock: number, startsInMs: number) {
  const sku = await createSku({ stock, alwaysOn: false });
  const saleId = unique("lot");
  made.push({ saleId, skus: [sku] });
  await putLottery(saleId, [sku], startsInMs);
  return { saleId, sku };
}

async function join(saleId: string, customer: string) {
  const res = await call(`/v1/sales/${saleId}/queue`, { auth: await shopperToken(customer), body: {} });
  expect(res.status).toBe(200);
  return res.body.ticket as string;
}

const draw = (saleId: string): Promise<Reply> => call(`/v1/sales/${saleId}/queue/draw`);

/** Polls the draw until `done` holds; fails with the last answer, so a draw that never comes says what was published. */
async function drawUntil(saleId: string, done: (body: Reply["body"]) => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await draw(saleId);
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body;
    if (Date.now() > deadline) throw new Error(`no ${what}: the draw says ${JSON.stringify(res.body)}`);
    await sleep(250);
  }
}
const committed = (b: Reply["body"]) => typeof b.commitment?.root === "string";
const revealed = (b: Reply["body"]) => typeof b.reveal?.randomness === "string" && b.reveal.drawn === true;

/** Every row of every table of an object, as text. */
async function storageText(stub: DurableObjectStub): Promise<string> {
  return runInDurableObject(stub, (_o, state: DurableObjectState) => {
    const tables = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'")
      .toArray();
    return JSON.stringify(tables.map((t) => state.storage.sql.exec(`SELECT * FROM "${t.name}"`).toArray()));
  });
}

const entrantOf = (saleId: string, customer: string) => sha256Hex(`holdfast-entrant:${saleId}:${customer}`);

describe("the lottery's draw", () => {
  it("the seed is unknown while joins are open: nothing the server holds fixes the order, and the beacon round follows the close", async () => {
    const { saleId, sku } = await lotterySale(5, 8_000);
    // Two of the joiners share a join shard, so it logs two and stores a subtree hash.
    const customers = Array.from({ length: 3 }, () => unique("c"));
    for (let k = 0; k < 1_000 && customers.length < 4; k++) {
      const c = unique("c");
      if (shardOf(c, joinShardCount(env)) === shardOf(customers[0]!, joinShardCount(env))) customers.push(c);
    }
    for (const c of customers) await join(saleId, c);

    const open = await draw(saleId);
    expect(open.status).toBe(200);
    // Joins are open: no commitment, no randomness, and no secret the operator could know the order from.
    expect(open.body.commitment).toBeUndefined();
    expect(open.body.reveal).toBeUndefined();
    const stores = [
      env.WAITING_ROOM.getByName(saleId),
      ...customers.map((c) => env.WAITING_ROOM.getByName(joinShardName(saleId, shardOf(c, joinShardCount(env))))),
    ];
    // The join shards keep each joiner's entrant id, leaf and the log's subtree hashes from the join on: public values anyone
    // derives from the sale, the customer ids and their items (each shard's tree over its joins in order), no secret.
    const entrantIds = await Promise.all(customers.map((c) => entrantOf(saleId, c)));
    const byShard = new Map<number, string[]>();
    for (const [i, c] of customers.entries()) {
      const shard = shardOf(c, joinShardCount(env));
      byShard.set(shard, [...(byShard.get(shard) ?? []), entrantIds[i]!]);
    }
    const derivable = [...byShard.values()].flatMap((ids) =>
      levelsOf(ids.map((id) => leafHash(id, sku)))
        .flat()
        .map((h) => h.toString("hex")),
    );
    expect(Math.max(...[...byShard.values()].map((ids) => ids.length))).toBeGreaterThan(1);
    for (const stub of stores) {
      const text = [...entrantIds, ...derivable].reduce((t, id) => t.replaceAll(id, "<public>"), await storageText(stub));
      expect(text).not.toMatch(/[0-9a-f]{64}/);
    }

    const sealed = await drawUntil(saleId, committed, "commitment");
    expect(sealed.commitment.entrants).toBe(customers.length);
    expect(Date.parse(sealed.commitment.committedAt)).toBeGreaterThanOrEqual(Date.parse(sealed.closesAt));
    // The round is emitted after the commitment was made: nobody knew its randomness while they could still change the entrants.
    const roundAt = Date.parse(sealed.beacon.roundAt);
    expect(roundAt).toBeGreaterThan(Date.parse(sealed.commitment.committedAt));
  });

  it("an entrant added after the close is not in the draw, is refused by the join shard, and has no inclusion proof", async () => {
    const { saleId, sku } = await lotterySale(10, 7_000);
    const [a, b, late] = [unique("a"), unique("b"), unique("late")];
    await join(saleId, a);
    await join(saleId, b);
    const sealed = await drawUntil(saleId, committed, "commitment");
    expect(sealed.commitment.entrants).toBe(2);

    // A stale edge still believing the draw open asks the join shard to add `late` to it: the sealed shard queues them by arrival.
    const shard = env.WAITING_ROOM.getByName(joinShardName(saleId, shardOf(late, joinShardCount(env))));
    const joined = await shard.join(late, { sku, closesAtMs: Date.parse(sealed.closesAt) + 60_000 });
    expect(joined.arrivalMs).toBeGreaterThanOrEqual(Date.parse(sealed.closesAt));
    const lateTicket = await join(saleId, late);

    const done = await drawUntil(saleId, revealed, "reveal");
    expect(done.commitment.root).toBe(sealed.commitment.root);
    expect(done.commitment.entrants).toBe(2);
    const listed = await allEntrants(saleId, done.commitment.shards.length);
    expect(
      listed
        .flat()
        .map((e) => e.entrantId)
        .sort(),
    ).toEqual((await Promise.all([a, b].map((c) => entrantOf(saleId, c)))).sort());
    expect(listed.flat().map((e) => e.sku)).toEqual([sku, sku]);
    // Anyone rebuilds the commitment from the list, and checks the round against the chain's key.
    const shardRoots = await Promise.all(
      listed.map(async (page) => rootOf(await Promise.all(page.map((e) => leafHash(e.entrantId, e.sku))))),
    );
    expect(shardRoots).toEqual(done.commitment.shards.map((s: { root: string }) => s.root));
    expect(await rootOf(shardRoots.map((r) => Buffer.from(r, "hex")))).toBe(done.commitment.root);
    const chain = { ...done.beacon, genesisSeconds: done.beacon.genesisTime };
    expect(verifyRound(chain, { round: done.beacon.round, ...done.reveal })).toBe(true);
    expect(verifyRound(chain, { round: done.beacon.round + 1, ...done.reveal })).toBe(false);

    const proofOf = async (customer: string, ticket: string) =>
      call(`/v1/sales/${saleId}/queue/${ticket}/proof`, { auth: await shopperToken(customer) });
    const aTicket = await join(saleId, a);
    const proof = await proofOf(a, aTicket);
    expect(proof.status).toBe(200);
    expect(proof.body.root).toBe(done.commitment.root);
    expect(proof.body.entrantId).toBe(await entrantOf(saleId, a));
    expect(proof.body.sku).toBe(sku);
    const shardRoot = await rootFromProof(await leafHash(proof.body.entrantId, proof.body.sku), proof.body.shardPath);
    expect(shardRoot).toBe(proof.body.shardRoot);
    expect(await rootFromProof(Buffer.from(shardRoot, "hex"), proof.body.rootPath)).toBe(done.commitment.root);
    const notIn = await proofOf(late, lateTicket);
    expect(notIn.status).toBe(404);
  });

  it("moving startsAt after the reveal re-draws: a new commitment, a later round, the pre-queue's new joiners included", async () => {
    const { saleId, sku } = await lotterySale(10, 6_000);
    for (const c of [unique("c"), unique("c"), unique("c")]) await join(saleId, c);
    const first = await drawUntil(saleId, revealed, "first reveal");
    expect(first.commitment.entrants).toBe(3);

    await putLottery(saleId, [sku], 7_000);
    const reopened = await draw(saleId);
    expect(reopened.body.epoch).toBe(first.epoch + 1);
    expect(reopened.body.commitment).toBeUndefined();
    expect(reopened.body.reveal).toBeUndefined();
    await join(saleId, unique("d"));

    const second = await drawUntil(saleId, (b) => b.epoch === first.epoch + 1 && revealed(b), "second reveal");
    expect(second.commitment.entrants).toBe(4);
    expect(second.beacon.round).toBeGreaterThan(first.beacon.round);
    expect(second.reveal.randomness).not.toBe(first.reveal.randomness);
  });

  it("orders every entrant by the documented permutation of their place in the entrant lists, as anyone recomputes from the published draw", async () => {
    const { saleId } = await lotterySale(10, 6_000);
    const customers = Array.from({ length: 12 }, () => unique("c"));
    for (const c of customers) await join(saleId, c);
    const done = await drawUntil(saleId, revealed, "reveal");
    const placeOf = await publishedOrder(saleId, done);
    expect(placeOf.size).toBe(customers.length);
    for (const c of customers) {
      const shard = env.WAITING_ROOM.getByName(joinShardName(saleId, shardOf(c, joinShardCount(env))));
      const place = await runInDurableObject(
        shard,
        (_o, state: DurableObjectState) =>
          state.storage.sql.exec<{ place: string | null }>("SELECT place FROM waiters WHERE customer_id = ?", c).one().place,
      );
      expect(place, c).toBe(drawPlace(placeOf.get(await entrantOf(saleId, c))!));
    }
  });

  it("with several items, orders each item's line by the one draw: a line admits its own entrants by their places", async () => {
    const skus = [await createSku({ stock: 2, alwaysOn: false }), await createSku({ stock: 2, alwaysOn: false })];
    const saleId = unique("lot");
    made.push({ saleId, skus });
    await putLottery(saleId, skus, 6_000);
    const lines = skus.map(() => Array.from({ length: 4 }, () => unique("c")));
    const tickets = new Map<string, string>();
    for (const [i, line] of lines.entries()) {
      for (const c of line) {
        const res = await call(`/v1/sales/${saleId}/queue`, { auth: await shopperToken(c), body: { sku: skus[i] } });
        expect(res.status).toBe(200);
        tickets.set(c, res.body.ticket as string);
      }
    }
    const done = await drawUntil(saleId, revealed, "reveal");
    const order = await publishedOrder(saleId, done);
    const keyOf = async (c: string) => order.get(await entrantOf(saleId, c))!;
    const status = async (c: string) =>
      (await call(`/v1/sales/${saleId}/queue/${tickets.get(c)}`, { auth: await shopperToken(c) })).body as {
        sku: string;
        status: string;
        position?: number;
      };
    for (const [i, line] of lines.entries()) {
      const keys = await Promise.all(line.map(keyOf));
      const byKey = [...line].sort((a, b) => keys[line.indexOf(a)]! - keys[line.indexOf(b)]!);
      let all = await Promise.all(line.map(status));
      for (let n = 0; n < 40 && all.filter((s) => s.status === "admitted").length < 2; n++) {
        await sleep(500);
        all = await Promise.all(line.map(status));
      }
      for (const [j, c] of line.entries()) {
        expect(all[j]!.sku, c).toBe(skus[i]);
        const rank = byKey.indexOf(c);
        // The item's stock of 2 admits the line's first two by place; the rest wait behind them, in the draw's order.
        expect(all[j]!.status, `${c} (rank ${rank} in line ${i})`).toBe(rank < 2 ? "admitted" : "waiting");
        if (rank >= 2) expect(all[j]!.position, c).toBe(rank - 1);
      }
    }
    // The commitment binds each entrant to their item: a line cannot gain or lose an entrant after the close unseen.
    const listed = (await allEntrants(saleId, done.commitment.shards.length)).flat();
    const skuOf = new Map(listed.map((e) => [e.entrantId, e.sku]));
    for (const [i, line] of lines.entries()) {
      for (const c of line) expect(skuOf.get(await entrantOf(saleId, c)), c).toBe(skus[i]);
    }
    const moved = await leafHash(listed[0]!.entrantId, skus.find((s) => s !== listed[0]!.sku)!);
    expect(moved.equals(await leafHash(listed[0]!.entrantId, listed[0]!.sku))).toBe(false);
  });
});

type Entrant = { entrantId: string; sku: string };

/**
 * Each entrant's place in the draw as the verifier computes it from what is
 * published: the entrant lists in shard order then leaf order give the global
 * indexes, the revealed randomness the permutation (docs/waiting-room.md).
 */
async function publishedOrder(saleId: string, done: Reply["body"]): Promise<Map<string, number>> {
  const listed = (await allEntrants(saleId, done.commitment.shards.length)).flat();
  const order = new DrawShuffle(done.reveal.randomness, listed.length);
  return new Map(listed.map((e, j) => [e.entrantId, order.placeOf(j)]));
}

/** Each shard's committed entrants (id and item), in leaf order, page by page. */
async function allEntrants(saleId: string, shards: number): Promise<Entrant[][]> {
  const out: Entrant[][] = [];
  for (let shard = 0; shard < shards; shard++) {
    const ids: Entrant[] = [];
    out.push(ids);
    let cursor: string | undefined;
    for (let page = 0; page < 100; page++) {
      const res = await call(`/v1/sales/${saleId}/queue/draw/entrants?shard=${shard}${cursor ? `&cursor=${cursor}` : ""}`);
      expect(res.status).toBe(200);
      ids.push(...(res.body.entrants as Entrant[]));
      cursor = res.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
  }
  return out;
}
