import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { WaitingRoomObject } from "../../src/objects/waiting-room-object";
import { DRAW_ROUND_PER_SHARD, DRAW_ROUNDS_PER_TICK, Lottery, type LotteryShardCalls } from "../../src/waiting-room/lottery";
import type { DrawnPlaces } from "../../src/waiting-room/lottery-shard";
import { sha256Hex } from "../../src/domain/canonical-json";
import { DrawShuffle } from "../../src/waiting-room/shuffle";
import { sleep, unique } from "../support/helpers";

/**
 * How the draw's places reach the join shards (spec §9, docs/waiting-room.md
 * "The draw at scale"): at the reveal, only the places the first admission
 * can take (what the sale's SKUs admit in one tick, asked of the caller), so
 * the first tick after the start waits for no more; after that, rounds of a
 * bounded size (each shard's call stays short, so it keeps serving joins and
 * polls while the draw goes on), a bounded number per tick, until every place
 * is written exactly once, in order, each shard told how far all are written.
 * The shards here are stand-ins that record the calls (the real shard's writes
 * are lottery-draw.test.ts's).
 */
const SHARDS = 4;
const PER_SHARD = 3_000;
const FIRST = 1_000;

type Call = { shard: number; places: DrawnPlaces; through: number };

/** Stand-in shards that record the places given; `refusals` calls are refused (as by a shard that did not answer) first. */
function standIns(calls: Call[], refusals = 0): LotteryShardCalls[] {
  let refuse = refusals;
  return Array.from({ length: SHARDS }, (_, shard) => ({
    reopenDraw: async () => {},
    sealDraw: async () => ({ root: sha256Hex(`shard ${shard}`), entrants: PER_SHARD }),
    placeDrawn: async (_epoch: number, places: DrawnPlaces, through: number) => {
      if (refuse > 0) {
        refuse--;
        return false;
      }
      calls.push({ shard, places, through });
      return true;
    },
    entrantProof: async () => null,
    entrantPage: async () => ({ entrants: [], next: null }),
  }));
}

/**
 * A lottery that closes now (the test beacon's lead is 3 s), stepped until its
 * beacon round is in: the first step commits, a later one fetches the round
 * and reveals (bounded; the beacon refuses a round not yet out, 1 to 2 s after
 * the commitment).
 */
async function revealed(state: DurableObjectState, shards: ReturnType<typeof standIns>) {
  const lottery = new Lottery(state.storage.sql, env);
  const sale = { saleId: unique("rounds-sale"), mode: "lottery", startsAtMs: Date.now() + 3_000 };
  const firstPlaces = async () => FIRST;
  const draw = () => state.storage.sql.exec<{ randomness: string | null; placed: number }>("SELECT * FROM lottery_draws").one();
  lottery.configured(sale);
  await lottery.step(sale, Date.now(), shards, firstPlaces);
  for (let i = 0; i < 100 && draw().randomness === null; i++) {
    await sleep(100);
    await lottery.step(sale, Date.now(), shards, firstPlaces);
  }
  expect(draw().randomness).not.toBeNull();
  return { lottery, sale, draw, firstPlaces };
}

describe("the draw's rounds of places", () => {
  it("writes the first admission's places at the reveal, then bounded rounds until each place is written once", {
    timeout: 60_000,
  }, async () => {
    const stub = env.WAITING_ROOM.getByName(unique("rounds"));
    await runInDurableObject(stub, async (_o: WaitingRoomObject, state: DurableObjectState) => {
      const calls: Call[] = [];
      const shards = standIns(calls);
      const { lottery, sale, draw } = await revealed(state, shards);
      const randomness = draw().randomness;

      const placesOf = (cs: Call[]) => cs.flatMap((c) => c.places.map(([, place]) => place)).sort((a, b) => a - b);
      expect(placesOf(calls), "the reveal writes the first admission's places, no more").toEqual(
        Array.from({ length: FIRST }, (_, p) => p),
      );
      expect(draw().placed).toBe(FIRST);

      const n = SHARDS * PER_SHARD;
      const round = DRAW_ROUND_PER_SHARD * SHARDS;
      let ticks = 0;
      for (; ticks < Math.ceil(n / round) + 1 && draw().placed < n; ticks++) {
        const before = draw().placed;
        const from = calls.length;
        await lottery.drawMore(sale, shards);
        const tick = calls.slice(from);
        expect(draw().placed, "every tick writes at least one round").toBeGreaterThan(before);
        // One round: a call to every shard saying how far all places are written.
        const throughs = [...new Set(tick.map((c) => c.through))];
        expect(throughs.length).toBeLessThanOrEqual(DRAW_ROUNDS_PER_TICK);
        let last = before - 1;
        for (const through of throughs) {
          const inRound = tick.filter((c) => c.through === through);
          expect(inRound.map((c) => c.shard).sort()).toEqual(Array.from({ length: SHARDS }, (_, s) => s));
          expect(through - last, "a round's places").toBeLessThanOrEqual(round);
          expect(placesOf(inRound)).toEqual(Array.from({ length: through - last }, (_, k) => last + 1 + k));
          last = through;
        }
      }
      expect(draw().placed).toBe(n);
      // Every place once, each given to the entrant the permutation names (global index: shard order, then the shard's own).
      const shuffle = new DrawShuffle(randomness!, n);
      const given = calls.flatMap((c) => c.places.map(([index, place]) => ({ place, entrant: c.shard * PER_SHARD + index })));
      expect(given.map((g) => g.place).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, p) => p));
      for (const g of given) expect(g.entrant).toBe(shuffle.entrantAt(g.place));
    });
  });

  it("writes the first places at the next tick when a shard did not take them at the reveal", { timeout: 60_000 }, async () => {
    const stub = env.WAITING_ROOM.getByName(unique("rounds"));
    await runInDurableObject(stub, async (_o: WaitingRoomObject, state: DurableObjectState) => {
      const calls: Call[] = [];
      const shards = standIns(calls, 1);
      const { lottery, sale, draw, firstPlaces } = await revealed(state, shards);
      expect(draw().placed, "one shard refused the reveal's places").toBe(0);
      // The next tick (the start's at the latest) steps the draw before it admits.
      await lottery.step(sale, Date.now(), shards, firstPlaces);
      expect(draw().placed).toBe(FIRST);
      // The shards that took theirs at the reveal are given the same places again: rewriting them writes the same.
      const last = calls.slice(-SHARDS);
      expect(last.map((c) => c.shard).sort()).toEqual(Array.from({ length: SHARDS }, (_, s) => s));
      expect(last.flatMap((c) => c.places.map(([, place]) => place)).sort((a, b) => a - b)).toEqual(
        Array.from({ length: FIRST }, (_, p) => p),
      );
    });
  });
});
