import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/worker";
import { shardOf } from "../../src/stock/addressing";
import { joinShardCount } from "../../src/waiting-room/config";
import { ADMIN, createSku, shopperToken, sleep, unique } from "../support/helpers";
import { endQueuedSalesAfterAll, queuedItem as item } from "../support/queued-sales";

/**
 * A waiting room live across a deploy (issue 17): a new QUEUE_JOIN_SHARDS
 * must not move anyone. The count is the sale's, fixed when its queue is
 * first configured, and the edge routes each join by the count the queue
 * publishes, so a waiter's rejoin finds their own row and the queue object
 * keeps surveying every shard that holds one.
 */

const made = endQueuedSalesAfterAll();
const before = joinShardCount(env);
const after = before === 5 ? 7 : 5;
/** The Worker as deployed with another join-shard count. */
const deployed: Env = { ...env, QUEUE_JOIN_SHARDS: String(after) };

async function callAs(workerEnv: Env, path: string, init: { auth: string; method?: string; body?: unknown }) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://holdfast.test${path}`, {
      method: init.method ?? "POST",
      headers: { authorization: init.auth, "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
    workerEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const claimsOf = (ticket: string) => JSON.parse(atob(ticket.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/")));

/** A customer whose join shard differs between the two counts, so a move would show. */
function movedCustomer(prefix: string): string {
  for (let i = 0; i < 1_000; i++) if (shardOf(`${prefix}-${i}`, before) !== shardOf(`${prefix}-${i}`, after)) return `${prefix}-${i}`;
  throw new Error("no customer moves between the counts");
}

describe("a waiting room live across a deploy that changes QUEUE_JOIN_SHARDS", () => {
  it("keeps every waiter's place: a rejoin finds its row, and the queue counts every waiter", async () => {
    const sku = await createSku({ stock: 5, alwaysOn: false });
    const saleId = unique("deploy");
    made.push({ saleId, skus: [sku] });
    const sale = {
      name: `Deploy ${saleId}`,
      startsAt: new Date(Date.now() - 60_000).toISOString(),
      endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      items: [item(sku)],
      queue: { mode: "fifo" },
    };
    expect((await callAs(env, `/v1/sales/${saleId}`, { auth: ADMIN, method: "PUT", body: sale })).status).toBe(201);
    const [a, b] = [movedCustomer(unique("a")), movedCustomer(unique("b"))];
    const first = await callAs(env, `/v1/sales/${saleId}/queue`, { auth: await shopperToken(a), body: {} });
    expect(first.status).toBe(200);
    await sleep(5);

    // The new build is live: the merchant saves the sale again, and shoppers keep joining.
    expect((await callAs(deployed, `/v1/sales/${saleId}`, { auth: ADMIN, method: "PUT", body: sale })).status).toBe(200);
    const second = await callAs(deployed, `/v1/sales/${saleId}/queue`, { auth: await shopperToken(b), body: {} });
    expect(second.status).toBe(200);
    const again = await callAs(deployed, `/v1/sales/${saleId}/queue`, { auth: await shopperToken(a), body: {} });
    expect(claimsOf(again.body.ticket as string).a).toBe(claimsOf(first.body.ticket as string).a);

    // The queue object counts both (a tick may already be running, so run it until it has: at most a few).
    let state = await env.WAITING_ROOM.getByName(saleId).state();
    for (let n = 0; n < 5 && (state?.admitted ?? 0) + (state?.waiting ?? 0) < 2; n++) {
      await runDurableObjectAlarm(env.WAITING_ROOM.getByName(saleId));
      await sleep(1_100);
      state = await env.WAITING_ROOM.getByName(saleId).state();
    }
    expect(state?.joinShards).toBe(before);
    expect((state?.admitted ?? 0) + (state?.waiting ?? 0)).toBe(2);
  });
});
