import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LiveLevels } from "../../../src/domain/live";
import type { LiveAttachment } from "../../../src/stock/live/push";
import { objectName, shardOf } from "../../../src/stock/addressing";
import { ADMIN, call, createSku, expectProblem, hold, putSale, restock, shopperToken, sleep, unique } from "../../support/helpers";

/**
 * Live stock push (spec §10): `GET /v1/skus/{sku}/live` upgrades to a
 * hibernating WebSocket on the SKU's object that pushes the public levels on
 * every change, coalesced to one message per 250 ms window.
 */

const WAIT_MS = 10_000;

interface Live {
  ws: WebSocket;
  /** Every levels message received, in order. */
  messages: LiveLevels[];
  /** Resolves with the first message (already received or to come) that passes `test`. */
  until(test: (m: LiveLevels) => boolean): Promise<LiveLevels>;
  closed: Promise<CloseEvent>;
  texts: string[];
}

async function connect(sku: string, headers: Record<string, string> = {}): Promise<Live> {
  const res = await exports.default.fetch(
    new Request(`https://holdfast.test/v1/skus/${sku}/live`, { headers: { upgrade: "websocket", ...headers } }),
  );
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const messages: LiveLevels[] = [];
  const texts: string[] = [];
  const waiters: Array<() => void> = [];
  ws.addEventListener("message", (e) => {
    const text = String(e.data);
    texts.push(text);
    // Every message must be exactly the documented public shape.
    if (text.startsWith("{")) messages.push(LiveLevels.strict().parse(JSON.parse(text)));
    for (const w of waiters.splice(0)) w();
  });
  const closed = new Promise<CloseEvent>((resolve) => ws.addEventListener("close", resolve));
  ws.accept();
  const until = (test: (m: LiveLevels) => boolean) =>
    new Promise<LiveLevels>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message; got ${JSON.stringify(messages)}`)), WAIT_MS);
      const check = () => {
        const found = messages.find(test);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        } else waiters.push(check);
      };
      check();
    });
  return { ws, messages, until, closed, texts };
}

describe("live stock push", () => {
  it("sends the current public levels on connect and a hold's lower level after", async () => {
    const sku = await createSku({ stock: 5 });
    const live = await connect(sku);
    const first = await live.until(() => true);
    expect(first).toMatchObject({ type: "levels", sku, available: 5, status: "live" });
    expect(Object.keys(first).sort()).toEqual(["at", "available", "listPrice", "price", "sku", "status", "type"]);
    expect((await hold(sku, unique("c"), 2)).status).toBe(201);
    expect(await live.until((m) => m.available === 3)).toMatchObject({ sku, status: "live" });
    live.ws.close(1000);
  });

  it("pushes a hold's change of quantity in place, both ways (spec §3)", async () => {
    const sku = await createSku({ stock: 5 });
    const live = await connect(sku);
    const customer = unique("c");
    const h = (await hold(sku, customer, 1)).body;
    await live.until((m) => m.available === 4);
    const change = async (quantity: number) =>
      call(`/v1/skus/${sku}/holds/${h.holdId}`, { method: "PATCH", auth: await shopperToken(customer), body: { quantity } });
    expect((await change(5)).status).toBe(200);
    expect(await live.until((m) => m.available === 0)).toMatchObject({ sku, status: "sold_out" });
    expect((await change(2)).status).toBe(200);
    expect(await live.until((m) => m.available === 3)).toMatchObject({ sku, status: "live" });
    live.ws.close(1000);
  });

  it("folds a burst of holds into far fewer messages, the last one exact", async () => {
    const holds = 40;
    const sku = await createSku({ stock: 100 });
    const live = await connect(sku);
    await live.until(() => true);
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: holds }, () => hold(sku, unique("c"), 1)));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    await live.until((m) => m.available === 100 - holds);
    const elapsed_ms = Date.now() - started;
    // Nothing more comes once the last state is out.
    await sleep(600);
    const pushes = live.messages.slice(1);
    expect(pushes.at(-1)).toMatchObject({ available: 60, status: "live" });
    // One message per 250 ms window at most, however slow the machine made the burst.
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(elapsed_ms / 250) + 1);
    expect(pushes.length).toBeLessThan(holds / 4);
    // No message repeats the one before it.
    for (let i = 1; i < live.messages.length; i++) expect(live.messages[i]!.available).not.toBe(live.messages[i - 1]!.available);
    live.ws.close(1000);
  });

  it("pushes sold_out when the last unit is held, and live again on restock", async () => {
    const sku = await createSku({ stock: 2 });
    const live = await connect(sku);
    expect((await hold(sku, unique("c"), 2)).status).toBe(201);
    expect(await live.until((m) => m.status === "sold_out")).toMatchObject({ available: 0 });
    await restock(sku, 3);
    expect(await live.until((m) => m.available === 3)).toMatchObject({ status: "live" });
    live.ws.close(1000);
  });

  it("keeps serving after the object hibernates: sockets and their attachments survive, memory does not", async () => {
    const sku = await createSku({ stock: 10 });
    const live = await connect(sku);
    await live.until(() => true);
    const stub = env.SKU.getByName(sku);
    await evictDurableObject(stub, { webSockets: "hibernate" });
    // A fresh instance hears of the change and finds the socket it never accepted.
    expect((await hold(sku, unique("c"), 4)).status).toBe(201);
    expect(await live.until((m) => m.available === 6)).toMatchObject({ sku });
    const attachments = await runInDurableObject(stub, (_, state) =>
      state.getWebSockets("live").map((ws) => ws.deserializeAttachment() as LiveAttachment),
    );
    expect(attachments).toEqual([{ sku, connectedAtMs: expect.any(Number) }]);
    live.ws.close(1000);
  });

  it("answers ping without the object, refresh with the levels, and closes on anything else", async () => {
    const sku = await createSku({ stock: 7 });
    const live = await connect(sku);
    await live.until(() => true);
    live.ws.send("ping");
    live.ws.send("refresh");
    await live.until(() => live.messages.length === 2);
    expect(live.texts).toContain("pong");
    expect(live.messages[1]).toMatchObject({ available: 7 });
    live.ws.send("give me merchant fields");
    expect((await live.closed).code).toBe(1003);
  });

  it("pushes the whole SKU's level when its stock is split across shards", async () => {
    const sku = await createSku({ stock: 40 });
    const put = await call(`/v1/skus/${sku}`, {
      method: "PUT",
      auth: ADMIN,
      body: { name: "Sharded", price: { amount: 100, currency: "usd" }, alwaysOn: true, shards: 4 },
    });
    expect(put.status).toBe(200);
    const live = await connect(sku);
    expect((await live.until(() => true)).available).toBe(40);
    // Customers on at least three different shards; none of these holds reaches the pool's own ledger.
    const customers = Array.from({ length: 12 }, (_, i) => `live-shard-${i}-${sku}`);
    expect(new Set(customers.map((c) => shardOf(c, 4))).size).toBeGreaterThan(2);
    for (const c of customers) expect((await hold(sku, c, 2)).status).toBe(201);
    expect(await live.until((m) => m.available === 40 - 24)).toMatchObject({ status: "live" });
    // The pushed aggregate agrees with the merchant's view of every shard.
    expect((await call(`/v1/skus/${sku}`, { auth: ADMIN })).body.available).toBe(16);
    live.ws.close(1000);
  });

  it("does no push work for a change nobody watches, and stops counting a socket once it closes", async () => {
    const sku = await createSku({ stock: 10 });
    const stub = env.SKU.getByName(sku);
    const pending = () =>
      runInDurableObject(stub, (o) => {
        const live = (o as unknown as { live: { timer: unknown; dirty: boolean; watching: boolean } }).live;
        return { timer: live.timer !== null, dirty: live.dirty, watching: live.watching };
      });
    expect((await hold(sku, unique("c"), 1)).status).toBe(201);
    expect(await pending()).toEqual({ timer: false, dirty: false, watching: false });
    const [a, b] = [await connect(sku), await connect(sku)];
    await Promise.all([a.until(() => true), b.until(() => true)]);
    a.ws.close(1000);
    await a.closed;
    expect((await hold(sku, unique("c"), 2)).status).toBe(201);
    expect(await b.until((m) => m.available === 7)).toMatchObject({ sku });
    expect(a.messages.map((m) => m.available)).toEqual([9]);
    b.ws.close(1000);
    await b.closed;
    expect(await pending()).toEqual({ timer: false, dirty: false, watching: false });
  });

  it("refuses a plain GET with 426, a bad SKU or Upgrade with 400, and an unknown SKU with 404", async () => {
    const sku = await createSku({ stock: 1 });
    const plain = await call(`/v1/skus/${sku}/live`);
    expectProblem(plain, 426, "upgrade_required");
    expect(plain.headers.get("upgrade")).toBe("websocket");
    expectProblem(await call(`/v1/skus/-bad-/live`, { headers: { upgrade: "websocket" } }), 400, "invalid_request");
    expectProblem(await call(`/v1/skus/${sku}/live`, { headers: { upgrade: "h2c" } }), 400, "invalid_request");
    expectProblem(await call(`/v1/skus/${unique("nobody")}/live`, { headers: { upgrade: "websocket" } }), 404, "not_found");
    // A present credential must still be valid, as on every public route.
    expectProblem(
      await call(`/v1/skus/${sku}/live`, { headers: { upgrade: "websocket", authorization: "Bearer nope" } }),
      401,
      "unauthorized",
    );
  });
});

/** Issue 26: a change the clock makes (a sale starting or ending) reaches watchers with no request to cause it. */
describe("live push follows the clock", () => {
  const START_IN_MS = 1_500;

  async function saleStartingSoon(): Promise<{ sku: string; startsAtMs: number }> {
    const sku = await createSku({ stock: 5, alwaysOn: false, price: 2_500 });
    const startsAtMs = Date.now() + START_IN_MS;
    const sale = await putSale(unique("sale"), [{ sku, price: { amount: 1_900, currency: "usd" }, perCustomerLimit: 2 }], {
      startsInMs: START_IN_MS,
    });
    expect(sale.status).toBe(201);
    return { sku, startsAtMs };
  }

  it("answers refresh with a fresh read: a sale that started since the last message is live, with its price", async () => {
    const { sku, startsAtMs } = await saleStartingSoon();
    const live = await connect(sku);
    expect((await live.until(() => true)).status).toBe("upcoming");
    while (Date.now() <= startsAtMs) await sleep(100);
    live.ws.send("refresh");
    const started = await live.until((m) => m.status === "live");
    expect(started).toMatchObject({ available: 5, price: { amount: 1_900, currency: "usd" } });
    live.ws.close(1000);
  });

  it("pushes a sale's start without any request: the object's alarm wakes at it", async () => {
    const { sku } = await saleStartingSoon();
    const live = await connect(sku);
    expect((await live.until(() => true)).status).toBe("upcoming");
    expect(await live.until((m) => m.status === "live")).toMatchObject({ price: { amount: 1_900, currency: "usd" } });
    live.ws.close(1000);
  });
});

/** Issue 26: a shard whose reports to the pool keep failing recovers by itself, without a new change. */
describe("shard reports", () => {
  it("a shard whose reports failed more times than its fast retries still reports once the pool answers", { timeout: 60_000 }, async () => {
    const sku = await createSku({ stock: 20 });
    const put = await call(`/v1/skus/${sku}`, {
      method: "PUT",
      auth: ADMIN,
      body: { name: "Sharded", price: { amount: 100, currency: "usd" }, alwaysOn: true, shards: 2 },
    });
    expect(put.status).toBe(200);
    const live = await connect(sku);
    expect((await live.until(() => true)).available).toBe(20);
    const customer = `report-${sku}`;
    const shard = env.SKU.getByName(objectName(sku, shardOf(customer, 2)));
    // The pool refuses the shard's next seven reports (more than the five fast retries), then answers.
    await runInDurableObject(shard, (o) => {
      const escrow = (o as unknown as { escrow: { peer: (...a: unknown[]) => Record<string, (...b: unknown[]) => unknown> } }).escrow;
      const peer = escrow.peer.bind(escrow);
      let refusals = 7;
      escrow.peer = (...a: unknown[]) => {
        const stub = peer(...a);
        return new Proxy(stub, {
          get: (target, key) =>
            key === "shardLevels" && refusals-- > 0
              ? () => Promise.reject(new Error("pool unreachable (test)"))
              : (...b: unknown[]) => target[key as string]!(...b),
        });
      };
    });
    expect((await hold(sku, customer, 3)).status).toBe(201);
    expect(await live.until((m) => m.available === 17)).toMatchObject({ status: "live" });
    live.ws.close(1000);
  });
});
