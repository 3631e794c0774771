import { DurableObject } from "cloudflare:workers";
import { joinShardName, type QueueSetup } from "../src/waiting-room/config.ts";
import { Coordinator } from "../src/waiting-room/coordinator.ts";
import { JoinShard } from "../src/waiting-room/join-shard.ts";
// The object's own list, so the coordinator's draw tables exist here too.
import { WAITING_ROOM_STEPS as STEPS } from "../src/waiting-room/schema.ts";
import { migrate } from "../src/objects/migrate.ts";

/**
 * Bench-only objects for the waiting room at scale (issue 17): the product's
 * own JoinShard and Coordinator classes over the same schema, with every SQL
 * statement's `rowsRead` added up, so a tick's reads can be counted across
 * the coordinator and every join shard. Joins are driven straight at the
 * shards (no HTTP); the SKU's stock is a fixed stand-in, so only queue work
 * is counted.
 */

/** The object's SQL with the rows each statement read counted (a cursor's count is final once it is read). */
function counting(sql: SqlStorage): { sql: SqlStorage; take(): number } {
  let cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
  const counted = new Proxy(sql, {
    get(target, prop) {
      if (prop !== "exec") return Reflect.get(target, prop);
      return (query: string, ...params: SqlStorageValue[]) => {
        const cursor = target.exec(query, ...params);
        cursors.push(cursor);
        return cursor;
      };
    },
  });
  return {
    sql: counted,
    take() {
      const n = cursors.reduce((sum, c) => sum + c.rowsRead, 0);
      cursors = [];
      return n;
    },
  };
}

/** A join shard of the bench's sale. */
export class QueueScaleShard extends DurableObject {
  private readonly count: ReturnType<typeof counting>;
  private readonly shard: JoinShard;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.count = counting(ctx.storage.sql);
    this.shard = new JoinShard(this.count.sql);
    migrate(ctx.storage, STEPS);
  }

  /** `n` joins of customers `prefix-<from..from+n-1>`, a millisecond apart from `startMs`. */
  fill(prefix: string, from: number, n: number, sku: string, startMs: number): number {
    for (let i = 0; i < n; i++) {
      this.shard.join(`${prefix}-${from + i}`, startMs + from + i, { sku, closesAtMs: null });
    }
    this.count.take();
    return n;
  }

  survey(windowStartMs: number, frontiers: Record<string, string | null>) {
    return this.shard.survey(windowStartMs, frontiers);
  }

  nextPlaces(sku: string, after: string | null, limit: number) {
    return this.shard.nextPlaces(sku, after, limit);
  }

  purge() {
    this.shard.purge();
  }

  /** Rows read since the last call. */
  rowsRead(): number {
    return this.count.take();
  }
}

type ScaleEnv = Env & { QUEUE_SCALE: DurableObjectNamespace<QueueScaleShard> };

/** The bench sale's coordinator: the product's tick, against the bench shards and a SKU with `available` units. */
export class QueueScaleCoordinator extends DurableObject<ScaleEnv> {
  private readonly count: ReturnType<typeof counting>;

  constructor(ctx: DurableObjectState, env: ScaleEnv) {
    super(ctx, env);
    this.count = counting(ctx.storage.sql);
    migrate(ctx.storage, STEPS);
  }

  private coordinator(available: number): Coordinator {
    const snapshot = { levels: { available, reserved: 0 }, liveHolds: 0, shards: 1 };
    const env = {
      ...this.env,
      WAITING_ROOM: this.env.QUEUE_SCALE,
      SKU: { getByName: () => ({ snapshot: async () => snapshot }) },
    } as unknown as Env;
    return new Coordinator(this.count.sql, env);
  }

  async start(setup: QueueSetup): Promise<void> {
    const c = this.coordinator(0);
    await c.configure(setup);
    c.wake();
  }

  /** One tick at `now_ms`: how many it admitted and the rows it read, here and on every join shard. */
  async tick(now_ms: number, available: number, saleId: string, shards: number): Promise<{ admitted: number; rowsRead: number }> {
    this.count.take();
    const admitted = await this.coordinator(available).tick(now_ms);
    const own = this.count.take();
    const theirs = await Promise.all(
      Array.from({ length: shards }, (_, i) => this.env.QUEUE_SCALE.getByName(joinShardName(saleId, i)).rowsRead()),
    );
    return { admitted, rowsRead: own + theirs.reduce((a, b) => a + b, 0) };
  }
}
