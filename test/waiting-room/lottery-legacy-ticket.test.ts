import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signTicket, type TicketClaims, verifyTicket } from "../../src/waiting-room/tokens";
import { ADMIN, call, createSku, type Reply, shopperToken, sleep, unique } from "../support/helpers";
import { endQueuedSalesAfterAll, queuedItem as item } from "../support/queued-sales";

/**
 * A lottery ticket issued before tickets carried the join's log index (`i`):
 * the edge computes a drawn place from that index, so such a ticket showed no
 * place after the reveal and its holder was never admitted. The join shard
 * knows the customer's index (the log numbered every join to a lottery), so
 * the edge asks it once and answers with a ticket that carries it.
 */
const made = endQueuedSalesAfterAll();

describe("a lottery ticket without its log index", () => {
  it("finds its drawn place after the reveal, is admitted, and comes back with the index", { timeout: 60_000 }, async () => {
    const sku = await createSku({ stock: 10, alwaysOn: false });
    const saleId = unique("legacy");
    made.push({ saleId, skus: [sku] });
    const put = await call(`/v1/sales/${saleId}`, {
      method: "PUT",
      auth: ADMIN,
      body: {
        name: `Lottery ${saleId}`,
        // Joins close 3 s before the start (the test beacon's lead): 7 s for the PUT and one join even on a loaded machine.
        startsAt: new Date(Date.now() + 10_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
        items: [item(sku)],
        queue: { mode: "lottery", prequeueSeconds: 600 },
      },
    });
    expect(put.status).toBeLessThan(300);
    const customer = unique("old");
    const auth = await shopperToken(customer);
    const joined = await call(`/v1/sales/${saleId}/queue`, { auth, body: {} });
    expect(joined.status).toBe(200);
    const verified = await verifyTicket(env.QUEUE_SIGNING_SECRET, joined.body.ticket as string, {
      saleId,
      customerId: customer,
      now_ms: Date.now(),
    });
    if (!verified.ok) throw new Error(`the join's ticket does not verify: ${verified.reason}`);
    expect(verified.claims.d).toBe(1);
    expect(verified.claims.i).toBeTypeOf("number");
    // The same ticket as the build before the log signed it: no index.
    const { i: _index, ...old } = verified.claims;
    const legacy = await signTicket(env.QUEUE_SIGNING_SECRET, old as TicketClaims);

    let last: Reply | null = null;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      last = await call(`/v1/sales/${saleId}/queue/${legacy}`, { auth });
      expect(last.status).toBe(200);
      if (last.body.status === "admitted") break;
      await sleep(250);
    }
    expect(last?.body, "the legacy ticket's holder is admitted once the draw reaches them").toMatchObject({ status: "admitted" });
    expect(last?.body.admission?.token).toBeTypeOf("string");
    // The answer's ticket carries the index: the next poll is computed at the edge alone.
    const upgraded = await verifyTicket(env.QUEUE_SIGNING_SECRET, last!.body.ticket as string, {
      saleId,
      customerId: customer,
      now_ms: Date.now(),
    });
    expect(upgraded.ok && upgraded.claims).toMatchObject({ ...old, i: verified.claims.i });
  });
});
