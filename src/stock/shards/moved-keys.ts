import { holdKeyCustomer } from "../../idempotency/keys";
import type { SqlReplies } from "../../idempotency/sql-replies";
import { ESCROW } from "./escrow-policy";
import { POOL, shardOf, type SkuStub } from "../addressing";
import type { Log } from "../../platform/log";

/**
 * Hold keys that moved with their customers when a SKU's shard count changed
 * (spec §6 and 8). A customer's hold accepted by their old home is answered by
 * the new one (Escrow.priorOf), but the edge only lets a keyed retry past a
 * cached sold-out verdict when the verdict's filter knows the key. So a home
 * adds to its filter the keys its customers were accepted under elsewhere:
 * asked once per role of every object the SKU had under its earlier counts.
 * A retry races the change only within that one round of asks.
 */
export class MovedKeys {
  private asked: Promise<readonly string[] | null> | null = null;
  /** After a failed ask, verdicts go without a filter this long before the next ask (a stampede of refusals asks once). */
  private quietUntilMs = 0;

  constructor(private readonly log: Log) {}

  /** The role changed: the homes to ask, and this object's customers, may have too. */
  forget(): void {
    this.asked = null;
    this.quietUntilMs = 0;
  }

  /**
   * The keys accepted for this object's customers in the SKU's other objects,
   * under `history` (at most ESCROW.moved_keys_max); null while they are not
   * known (the last ask failed less than ASK_AGAIN_AFTER_MS ago). A value, not
   * a throw: a stampede of sold-out refusals reads it on every refusal.
   */
  here(self: number, shards: number, history: readonly number[], peer: (home: number) => SkuStub): Promise<readonly string[] | null> {
    if (history.length === 0) return Promise.resolve(NONE);
    if (this.asked === null && Date.now() < this.quietUntilMs) return Promise.resolve(null);
    this.asked ??= (async () => {
      const homes = new Set<number>();
      for (const count of history) {
        if (count <= 1) homes.add(POOL);
        else for (let i = 0; i < count; i++) homes.add(i);
      }
      homes.delete(self);
      const lists = await Promise.all([...homes].map((home) => peer(home).keysMovedTo(self, shards)));
      // More than one filter holds (or a home that has more than it reads): no filter, so no keyed retry is cut.
      if (lists.some((list) => list === null)) return null;
      const all = lists.flat() as string[];
      return all.length > ESCROW.moved_keys_max ? null : all;
    })().catch((e: unknown) => {
      this.asked = null;
      this.quietUntilMs = Date.now() + ASK_AGAIN_AFTER_MS;
      this.log.error("moved_keys_ask_failed", { error: String(e) });
      return null;
    });
    return this.asked;
  }
}

const NONE: readonly string[] = [];
const ASK_AGAIN_AFTER_MS = 1_000;

/**
 * The other side: hold keys this object accepted for customers whose home
 * under `shards` is `home`; null when it has more accepted keys than it reads
 * (a list of only the newest would leave older retries out of the filter).
 */
export function keysMovedTo(replies: SqlReplies, sku: string, home: number, shards: number, now_ms: number): string[] | null {
  const homeOf = (customerId: string) => (shards <= 1 ? POOL : shardOf(customerId, shards));
  const accepted = replies.acceptedKeys(now_ms, ESCROW.moved_keys_max + 1);
  if (accepted.length > ESCROW.moved_keys_max) return null;
  return accepted.filter((key) => {
    const customerId = holdKeyCustomer(key, sku);
    return customerId !== null && homeOf(customerId) === home;
  });
}
