import { envNumber } from "../platform/env-number";
import { logger } from "../platform/log";
import { BEACON_SCHEME, beaconChain, fetchRound, roundAfter, roundTimeMs, type BeaconChain } from "./beacon";
import { rootOf } from "./merkle";
import type { ShardSurvey } from "./join-shard";
import type { DrawnPlaces, Entrant, ShardProof, ShardSeal } from "./lottery-shard";
import { DrawShuffle } from "./shuffle";
import type { DrawRow } from "./lottery-schema";

/**
 * The sale's draw (spec §9), on the queue object: a draw per `startsAt`
 * (epoch). Joins are open until `closesAt` (LOTTERY_CLOSE_LEAD_SECONDS
 * before the start, so the reveal lands before it); at the close every join
 * shard seals its entrants and the root over their roots is published with
 * the beacon round that will decide the order, one emitted at least a period
 * after the commitment; once that round is out and verified, the draw
 * (./shuffle.ts) names the entrants of the places the first admission can
 * take (O(places), not O(entrants)) and each shard writes its own; the rest
 * follow in rounds after each tick's admission, in place order, so the
 * frontier never passes a place not yet written (drawCeiling). Nothing before that round fixes the
 * order, so nobody can foresee it while they can still change who takes part.
 * A new `startsAt` begins a new epoch: the shards reopen and the next close
 * commits again, to a later round.
 */

/** How long before `startsAt` the draw closes, by default: a quicknet round (3 s) and the draw fit in it. */
const DEFAULT_CLOSE_LEAD_SECONDS = 10;
/** A round that is not out (or not reachable) is asked for again this often. */
const ROUND_RETRY_MS = 1_000;
/**
 * After the reveal's first places, the rest go out in rounds: a round names
 * this many places per join shard (on average) and every shard writes its own
 * in one short call, so no shard is busy long with the draw (it keeps serving
 * joins, surveys and polls) and the draw's progress is stored after each round.
 */
export const DRAW_ROUND_PER_SHARD = 1_000;
/** Rounds one tick writes at most, after its admission (a million entrants over 16 shards: about seven ticks). */
export const DRAW_ROUNDS_PER_TICK = 9;
/**
 * A tick starts no further round after this long: where the shards are slow
 * (all in one process, as locally), the queue's next tick is not held up by
 * the draw. Every tick writes at least one round, and a round is at least
 * what a tick admits (the first places, written at the reveal, are that), so
 * the frontier keeps its pace while the draw goes on.
 */
const DRAW_TICK_BUDGET_MS = 500;

/** The join shard calls the draw needs (the object's RPC surface for that role). */
export interface LotteryShardCalls {
  reopenDraw(closesAtMs: number): Promise<void>;
  sealDraw(epoch: number, saleId: string, closesAtMs: number): Promise<ShardSeal>;
  placeDrawn(epoch: number, places: DrawnPlaces, throughPlace: number): Promise<boolean>;
  entrantProof(customerId: string, saleId: string): Promise<ShardProof | null>;
  entrantPage(from: number, limit: number): Promise<{ entrants: Entrant[]; next: number | null }>;
}

/** The draw as the queue state publishes it (and GET /v1/sales/{saleId}/queue/draw shows it). */
export interface LotteryView {
  epoch: number;
  closesAtMs: number;
  committedAtMs: number | null;
  root: string | null;
  entrants: number | null;
  shards: ShardSeal[] | null;
  round: number | null;
  roundAtMs: number | null;
  randomness: string | null;
  signature: string | null;
  drawn: boolean;
  chain: { url: string; chainHash: string; publicKey: string; scheme: string; genesisSeconds: number; periodSeconds: number };
}

/** The terms of the sale the draw follows (from the queue's config). */
export interface DrawSale {
  saleId: string;
  mode: string;
  startsAtMs: number;
}

export class Lottery {
  private readonly chain: BeaconChain;
  private readonly lead_ms: number;
  /** The current draw's permutation (its round values cached); rebuilt from the row after a restart. */
  private shuffle: DrawShuffle | null = null;

  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
  ) {
    this.chain = beaconChain(env);
    this.lead_ms = envNumber(env.LOTTERY_CLOSE_LEAD_SECONDS, DEFAULT_CLOSE_LEAD_SECONDS, { min: 0, max: 3_600, integer: true }) * 1000;
  }

  private current(): DrawRow | null {
    return this.sql.exec<DrawRow>("SELECT * FROM lottery_draws ORDER BY epoch DESC LIMIT 1").toArray()[0] ?? null;
  }

  /** The sale was written: a lottery with a new `startsAt` begins a new epoch (the shards reopen at the next tick). */
  configured(sale: DrawSale): void {
    if (sale.mode !== "lottery") return;
    const d = this.current();
    if (d && d.starts_at_ms === sale.startsAtMs) return;
    this.sql.exec(
      "INSERT INTO lottery_draws (epoch, starts_at_ms, closes_at_ms, reopen) VALUES (?, ?, ?, ?)",
      (d?.epoch ?? 0) + 1,
      sale.startsAtMs,
      sale.startsAtMs - this.lead_ms,
      d ? 1 : 0,
    );
  }

  /** When the draw next needs a tick; null when it needs none. */
  dueMs(sale: DrawSale, now_ms: number): number | null {
    const d = sale.mode === "lottery" ? this.current() : null;
    if (!d || d.drawn_at_ms !== null) return null;
    if (d.reopen === 1) return now_ms;
    if (d.committed_at_ms === null) return Math.max(now_ms, d.closes_at_ms);
    if (d.randomness === null) return Math.max(roundTimeMs(this.chain, d.round!), d.tried_at_ms + ROUND_RETRY_MS);
    // The rest of the places are written at the queue's own ticks (drawMore).
    return null;
  }

  /**
   * Moves the draw on as far as `now_ms` allows: reopen, commit, fetch the
   * round, draw. True when a new epoch reopened the shards: admissions made
   * from the old draw's places no longer stand.
   */
  async step(
    sale: DrawSale,
    now_ms: number,
    shards: LotteryShardCalls[],
    firstPlaces: () => Promise<number>,
  ): Promise<{ reopened: boolean }> {
    if (sale.mode !== "lottery") return { reopened: false };
    this.configured(sale);
    const d = this.current()!;
    let reopened = false;
    if (d.reopen === 1) {
      await Promise.all(shards.map((s) => s.reopenDraw(d.closes_at_ms)));
      this.sql.exec("UPDATE lottery_draws SET reopen = 0 WHERE epoch = ?", d.epoch);
      reopened = true;
    }
    if (now_ms < d.closes_at_ms || d.drawn_at_ms !== null) return { reopened };
    if (d.committed_at_ms === null) {
      await this.commit(d, sale.saleId, shards, now_ms);
      // Published before its round exists; the reveal is a later tick's.
      return { reopened };
    }
    const randomness = d.randomness ?? (await this.reveal(sale, d, now_ms));
    if (randomness === null) return { reopened };
    // Only what the first tick after the start can admit: that tick waits for these places alone. Not written (a shard
    // did not answer): the next tick, at the latest the start's, before it admits, tries again.
    if (d.placed === 0) await this.draw(sale, { ...d, randomness }, shards, Math.max(1, await firstPlaces()));
    return { reopened };
  }

  /** The draw's round once it is out: fetched, verified and stored; null while it is not (asked again later). */
  private async reveal(sale: DrawSale, d: DrawRow, now_ms: number): Promise<string | null> {
    if (now_ms < roundTimeMs(this.chain, d.round!)) return null;
    this.sql.exec("UPDATE lottery_draws SET tried_at_ms = ? WHERE epoch = ?", now_ms, d.epoch);
    const round = await fetchRound(this.chain, d.round!);
    if (!round) {
      logger(this.env).warn("lottery_round_unavailable", { saleId: sale.saleId, round: d.round, url: this.chain.url });
      return null;
    }
    this.sql.exec(
      "UPDATE lottery_draws SET randomness = ?, signature = ?, revealed_at_ms = ? WHERE epoch = ?",
      round.randomness,
      round.signature,
      Date.now(),
      d.epoch,
    );
    return round.randomness;
  }

  /** After a tick's admission: the next rounds of places (DRAW_ROUNDS_PER_TICK at most, within the tick's budget), until all are written. */
  async drawMore(sale: DrawSale, shards: LotteryShardCalls[]): Promise<void> {
    const started_ms = Date.now();
    for (let r = 0; r < DRAW_ROUNDS_PER_TICK && (r === 0 || Date.now() - started_ms < DRAW_TICK_BUDGET_MS); r++) {
      const d = sale.mode === "lottery" ? this.current() : null;
      if (!d || d.randomness === null || d.drawn_at_ms !== null || d.reopen === 1) return;
      // A round is never less than the first places: what one tick admits at most.
      const round = Math.max(DRAW_ROUND_PER_SHARD * shards.length, d.first_placed ?? 0);
      if (!(await this.draw(sale, d, shards, round))) return;
    }
  }

  /**
   * The next `count` places: the draw names each place's entrant (global
   * index, shard order then join order) and each shard writes its own, then
   * how far all are written. A batch a shard refused or did not answer is
   * drawn again next time (the same places); false then.
   */
  private async draw(sale: DrawSale, d: DrawRow, shards: LotteryShardCalls[], count: number): Promise<boolean> {
    const seals = JSON.parse(d.shards!) as ShardSeal[];
    const n = d.entrants!;
    const to = Math.min(n, d.placed + count);
    if (this.shuffle?.randomness !== d.randomness || this.shuffle.n !== n) this.shuffle = new DrawShuffle(d.randomness!, n);
    const starts = seals.map((_, s) => seals.slice(0, s).reduce((sum, x) => sum + x.entrants, 0));
    const batches: DrawnPlaces[] = shards.map(() => []);
    for (let place = d.placed; place < to; place++) {
      const index = this.shuffle.entrantAt(place);
      const shard = shardHolding(starts, index);
      batches[shard]!.push([index - starts[shard]!, place]);
    }
    const written = await Promise.all(shards.map((s, i) => s.placeDrawn(d.epoch, batches[i]!, to - 1)));
    if (!written.every(Boolean)) {
      logger(this.env).error("lottery_shard_unsealed", { saleId: sale.saleId, epoch: d.epoch });
      return false;
    }
    const now_ms = Date.now();
    this.sql.exec(
      `UPDATE lottery_draws SET placed = ?, drawn_at_ms = ?, first_placed_at_ms = COALESCE(first_placed_at_ms, ?),
         first_placed = COALESCE(first_placed, ?) WHERE epoch = ?`,
      to,
      to === n ? now_ms : null,
      now_ms,
      to,
      d.epoch,
    );
    return true;
  }

  private async commit(d: DrawRow, saleId: string, shards: LotteryShardCalls[], now_ms: number): Promise<void> {
    const seals = await Promise.all(shards.map((s) => s.sealDraw(d.epoch, saleId, d.closes_at_ms)));
    const root = rootOf(seals.map((s) => Buffer.from(s.root, "hex")));
    const committedAt = Math.max(now_ms, Date.now());
    this.sql.exec(
      "UPDATE lottery_draws SET committed_at_ms = ?, root = ?, entrants = ?, shards = ?, round = ? WHERE epoch = ?",
      committedAt,
      root,
      seals.reduce((n, s) => n + s.entrants, 0),
      JSON.stringify(seals),
      roundAfter(this.chain, committedAt),
      d.epoch,
    );
  }

  /** The current draw for the published state; null unless the sale is a lottery. */
  view(sale: DrawSale): LotteryView | null {
    const d = sale.mode === "lottery" ? this.current() : null;
    if (!d || d.starts_at_ms !== sale.startsAtMs) return null;
    const c = this.chain;
    return {
      epoch: d.epoch,
      closesAtMs: d.closes_at_ms,
      committedAtMs: d.committed_at_ms,
      root: d.root,
      entrants: d.entrants,
      shards: d.shards === null ? null : (JSON.parse(d.shards) as ShardSeal[]),
      round: d.round,
      roundAtMs: d.round === null ? null : roundTimeMs(c, d.round),
      randomness: d.randomness,
      signature: d.signature,
      drawn: d.drawn_at_ms !== null,
      chain: {
        url: c.url,
        chainHash: c.chainHash,
        publicKey: c.publicKey,
        scheme: BEACON_SCHEME,
        genesisSeconds: c.genesisSeconds,
        periodSeconds: c.periodSeconds,
      },
    };
  }
}

/** The shard whose entrants hold global index `index`, given each shard's first index (ascending). */
function shardHolding(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  // The last shard starting at or before `index` (an empty shard starts where the next does: the later one holds it).
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * How far the frontier may move while the draw's places are being written:
 * the lowest place up to which some still-writing shard has written all of
 * its own (every place at or before it is written in every shard); "" while
 * one has written none (nothing may move); null once every shard is done.
 */
export function drawCeiling(surveys: readonly ShardSurvey[]): string | null {
  let ceiling: string | null = null;
  for (const s of surveys) {
    if (s.undrawn === 0) continue;
    const through = s.through ?? "";
    if (ceiling === null || through < ceiling) ceiling = through;
  }
  return ceiling;
}
