import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIVE, type LiveAttachment } from "../../src/stock/live/push";
import { createSku, expectProblem, restock } from "../support/helpers";

/**
 * Issue 22 item 4: one client cannot take every live socket of a SKU. Each
 * client address has its own cap, and a socket that shows no sign of life
 * (no ping, no refresh) for LIVE.idle_ms is closed.
 */

function open(sku: string, ip: string) {
  return exports.default.fetch(
    new Request(`https://holdfast.test/v1/skus/${sku}/live`, { headers: { upgrade: "websocket", "cf-connecting-ip": ip } }),
  );
}

describe("live sockets per client", () => {
  it("refuses one address its sockets past the per-client cap, and serves another address", async () => {
    const sku = await createSku({ stock: 3 });
    const sockets: WebSocket[] = [];
    // The documented cap (docs/security.md): 20 sockets per client address.
    for (let i = 0; i < 20; i++) {
      const res = await open(sku, "203.0.113.9");
      expect(res.status).toBe(101);
      res.webSocket!.accept();
      sockets.push(res.webSocket!);
    }
    const refused = await open(sku, "203.0.113.9");
    expect(refused.status).toBe(429);
    expect(LIVE.sockets_per_client_max).toBe(20);
    expectProblem({ status: refused.status, headers: refused.headers, body: await refused.json() }, 429, "rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const other = await open(sku, "203.0.113.10");
    expect(other.status).toBe(101);
    other.webSocket!.accept();
    for (const ws of [...sockets, other.webSocket!]) ws.close(1000);
  });

  it("closes a socket idle for longer than LIVE.idle_ms, and keeps a live one", async () => {
    const sku = await createSku({ stock: 3 });
    const idle = await open(sku, "203.0.113.20");
    const fresh = await open(sku, "203.0.113.21");
    const closed = new Promise<CloseEvent>((resolve) => idle.webSocket!.addEventListener("close", resolve));
    idle.webSocket!.accept();
    fresh.webSocket!.accept();
    let freshClosed = false;
    fresh.webSocket!.addEventListener("close", () => (freshClosed = true));
    // The first socket connected long ago and never pinged.
    await runInDurableObject(env.SKU.getByName(sku), (_, state) => {
      const [first] = state.getWebSockets("live");
      const a = first!.deserializeAttachment() as LiveAttachment;
      first!.serializeAttachment({ ...a, connectedAtMs: Date.now() - LIVE.idle_ms - 1_000 });
    });
    await restock(sku, 1);
    const event = await Promise.race([closed, new Promise<null>((r) => setTimeout(() => r(null), 5_000))]);
    expect(event?.code).toBe(1001);
    expect(freshClosed).toBe(false);
    fresh.webSocket!.close(1000);
  });
});
