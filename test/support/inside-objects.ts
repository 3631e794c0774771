import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { SkuObject } from "../../src/objects/sku-object";

/**
 * Where tests reach inside a SKU object, for what no route and no public RPC
 * can show or do: read a row as stored (a read through the object expires an
 * overdue hold on the way), move a deadline into the past rather than wait for
 * it, read the object's alarm, or corrupt its state so that a guard has to
 * catch it. Everything else goes through the Worker or the object's RPC.
 */

export const skuStub = (sku: string) => env.SKU.getByName(sku);

/** Runs SQL inside the SKU's object, bypassing the API; the object then forgets what it kept in memory of its rows. */
export function objectSql<T>(sku: string, query: string, ...params: unknown[]): Promise<T[]> {
  return runInDurableObject(skuStub(sku), (o: SkuObject, state) => {
    const rows = state.storage.sql.exec(query, ...params).toArray() as T[];
    o.ledger.tables.forget();
    return rows;
  });
}

/** A hold's status as stored, read directly (a read through the API could expire it on the way). */
export async function holdStatus(sku: string, holdId: string): Promise<string | undefined> {
  const [row] = await objectSql<{ status: string }>(sku, "SELECT status FROM holds WHERE hold_id = ?", holdId);
  return row?.status;
}

/**
 * Moves a hold's deadline into the past, as if its TTL had run out, through
 * the tables' own statement: the object keeps the earliest deadline in memory,
 * and a deadline moved behind its back would not be swept until it restarts.
 */
export function backdateHold(sku: string, holdId: string): Promise<boolean> {
  return runInDurableObject(skuStub(sku), (o: SkuObject) => o.ledger.tables.moveDeadline(holdId, Date.now() - 1_000));
}

/** Moves a hold's deadline into the past, then runs the SKU object's alarm so it expires. */
export async function expireHold(sku: string, holdId: string): Promise<void> {
  await backdateHold(sku, holdId);
  await runDurableObjectAlarm(skuStub(sku));
  expect(await holdStatus(sku, holdId)).toBe("expired");
}

/**
 * Releases a hold in the ledger alone, as the merchant would, with the
 * object's alarm taken away in the same step: unlike the release RPC, nothing
 * ships the release or retires the hold until the test runs the alarm itself
 * (an alarm the hold's own creation armed would otherwise fire meanwhile).
 */
export async function releaseUnarmed(sku: string, holdId: string): Promise<void> {
  await runInDurableObject(skuStub(sku), async (o: SkuObject, state) => {
    await state.storage.deleteAlarm();
    o.ledger.release(holdId, "merchant", Date.now());
  });
}

/** When the object's alarm (a SKU's, by name, or any object's, by stub) is set to run, or null. */
export function alarmOf<O extends Rpc.DurableObjectBranded>(object: string | DurableObjectStub<O>): Promise<number | null> {
  if (typeof object === "string") return alarmOf(skuStub(object));
  return runInDurableObject(object, (_o, state) => state.storage.getAlarm());
}

/** Adds a unit to the tally of live units (kept with the levels), so the next mutation's check of invariant 3 must fail. */
export function corruptLiveUnits(sku: string): Promise<unknown[]> {
  return objectSql(sku, "UPDATE sku SET live_units = live_units + 1");
}
