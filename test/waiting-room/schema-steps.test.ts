import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { migrate } from "../../src/objects/migrate";
import type { WaitingRoomObject } from "../../src/objects/waiting-room-object";
import { WAITING_ROOM_STEPS } from "../../src/waiting-room/schema";
import { COORDINATOR_LINES_STEPS, COORDINATOR_STEPS } from "../../src/waiting-room/coordinator-schema";
import { JOIN_SHARD_LINES_STEPS, JOIN_SHARD_STEPS } from "../../src/waiting-room/join-shard";
import { LINE_STEPS } from "../../src/waiting-room/line";
import { LOTTERY_STEPS } from "../../src/waiting-room/lottery-schema";
import { LOTTERY_SHARD_STEPS } from "../../src/waiting-room/lottery-shard";
import { unique } from "../support/helpers";

/**
 * A waiting-room object set up before the entrant log (the schema as deployed
 * before it: the draw table, then three lottery-shard steps) moves to today's
 * schema in its constructor's migration. The object's version counts the steps
 * of one whole list, so a step added in the middle of it would replay a step
 * the object already ran.
 */
const BEFORE_THE_LOG = [
  ...COORDINATOR_STEPS,
  ...JOIN_SHARD_STEPS,
  ...LINE_STEPS,
  ...COORDINATOR_LINES_STEPS,
  ...JOIN_SHARD_LINES_STEPS,
  LOTTERY_STEPS[0]!,
  ...LOTTERY_SHARD_STEPS.slice(0, 3),
];

/** Drops the object's own tables (not the platform's), so a list of steps can run from the start. */
function blank(storage: DurableObjectStorage): void {
  const tables = storage.sql
    .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'sqlite_%'")
    .toArray();
  for (const t of tables) storage.sql.exec(`DROP TABLE "${t.name}"`);
}

describe("the waiting room's schema steps", () => {
  it("migrate an object set up before the entrant log, keeping its waiters and draw", async () => {
    const stub = env.WAITING_ROOM.getByName(unique("steps"));
    await runInDurableObject(stub, (_o: WaitingRoomObject, state: DurableObjectState) => {
      blank(state.storage);
      migrate(state.storage, BEFORE_THE_LOG);
      const sql = state.storage.sql;
      sql.exec(
        "INSERT INTO waiters (customer_id, arrival_ms, in_draw, place, sku, entrant_id) VALUES ('ann', 1000, 1, NULL, 'sku-a', 'e-ann')",
      );
      sql.exec("INSERT INTO lottery_draws (epoch, starts_at_ms, closes_at_ms, reopen) VALUES (1, 5000, 2000, 0)");

      migrate(state.storage, WAITING_ROOM_STEPS);

      expect(sql.exec<{ version: number }>("SELECT version FROM schema_version").one().version).toBe(WAITING_ROOM_STEPS.length);
      // The entrant log's step numbered the drawn waiter; the draw row gained its count of written places.
      expect(sql.exec("SELECT customer_id, seq, entrant_id FROM waiters").toArray()).toEqual([
        { customer_id: "ann", seq: 0, entrant_id: "e-ann" },
      ]);
      expect(sql.exec("SELECT epoch, placed FROM lottery_draws").toArray()).toEqual([{ epoch: 1, placed: 0 }]);
    });
  });

  it("give a new object the same tables and columns as a migrated one", async () => {
    const columns = (storage: DurableObjectStorage) =>
      storage.sql
        .exec<{ t: string; c: string }>(
          `SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p
           WHERE m.type = 'table' AND m.name NOT LIKE '_cf_%' AND m.name NOT LIKE 'sqlite_%' ORDER BY t, c`,
        )
        .toArray();
    const fresh = await runInDurableObject(env.WAITING_ROOM.getByName(unique("steps")), (_o: WaitingRoomObject, s: DurableObjectState) =>
      columns(s.storage),
    );
    const migrated = await runInDurableObject(
      env.WAITING_ROOM.getByName(unique("steps")),
      (_o: WaitingRoomObject, s: DurableObjectState) => {
        blank(s.storage);
        migrate(s.storage, BEFORE_THE_LOG);
        migrate(s.storage, WAITING_ROOM_STEPS);
        return columns(s.storage);
      },
    );
    expect(migrated).toEqual(fresh);
  });
});
