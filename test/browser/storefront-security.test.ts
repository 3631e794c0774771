/**
 * Issue 22 item 1: the example storefront keeps the shopper's token at home.
 * A link that names another API origin in `?api=` must not make the page send
 * the token (or anything) there, and the page carries a CSP like the
 * console's: `connect-src 'self'`, no framing.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/node/chromium.ts";
import { merchant, shopperToken } from "../support/node/console-api.ts";
import { freePort, startWranglerDev, type DevServer } from "../support/node/wrangler-dev.ts";

let api: DevServer;
let browser: Browser;
let attacker: Server;
let attackerOrigin: string;
/** Every request the attacker's server received, preflights included. */
const received: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  const port = await freePort();
  attackerOrigin = `http://127.0.0.1:${port}`;
  // It answers as a cooperative API would, so nothing but the page itself can stop the token going there.
  attacker = createServer((req, res) => {
    received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    res.writeHead(req.method === "OPTIONS" ? 204 : 200, {
      "access-control-allow-origin": "*",
      "access-control-allow-headers": "authorization, content-type, idempotency-key",
      "access-control-allow-methods": "GET, POST, DELETE",
      "content-type": "application/json",
    });
    res.end(req.method === "OPTIONS" ? "" : JSON.stringify({ data: [] }));
  });
  await new Promise<void>((resolve) => attacker.listen(port, "127.0.0.1", resolve));
  [api, browser] = await Promise.all([startWranglerDev({}), launchChromium()]);
}, 240_000);

afterAll(async () => {
  await Promise.all([browser?.close(), api?.stop(), new Promise((r) => attacker?.close(r))]);
});

describe("the storefront's API origin", () => {
  it("never sends the shopper's token, nor any request, to an origin named in ?api=", async () => {
    const put = await merchant(api.origin, "PUT", "/v1/skus/sec-tee", {
      name: "Tee",
      price: { amount: 1500, currency: "usd" },
      alwaysOn: true,
    });
    expect(put.status).toBe(201);
    expect((await merchant(api.origin, "POST", "/v1/skus/sec-tee/adjustments", { delta: 5, reason: "restock" })).status).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${api.origin}/storefront/?sku=sec-tee`);
    await page.fill("#token", await shopperToken("store-victim"));
    await page.click("#load");
    await expect.poll(() => page.getByTestId("left").textContent(), { timeout: 10_000 }).toBe("5 left");

    // The same tab, now sent to a link that names the attacker's server.
    await page.goto(`${api.origin}/storefront/?sku=sec-tee&api=${encodeURIComponent(attackerOrigin)}`);
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(1_000);
    expect(received.filter((r) => r.headers.authorization)).toEqual([]);
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    // And the page still works against its own origin.
    await expect.poll(() => page.getByTestId("left").textContent(), { timeout: 10_000 }).toBe("5 left");
    await page.close();
  });

  it("is served with a CSP like the console's: its own origin only, never framed", async () => {
    for (const path of ["/storefront/", "/storefront/storefront.js"]) {
      const res = await fetch(`${api.origin}${path}`);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("connect-src 'self'");
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });
});
