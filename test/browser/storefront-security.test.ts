/**
 * Issue 22 item 1: the example storefront keeps the shopper's token at home.
 * A link that names another API origin in `?api=` must not make the page send
 * the token (or anything) there, and the page carries a CSP like the
 * console's: `connect-src 'self'`, no framing.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { merchant, shopperToken } from "../support/node/console-api.ts";
import { bootBrowser } from "../support/node/shared-browser.ts";
import { freePort, type DevServer } from "../support/node/wrangler-dev.ts";

let api: DevServer;
let browser: Browser;
let attacker: Server;
let attackerOrigin: string;
/** Unique to this run: the app server is shared with the other browser files. */
const sku = `sec-tee-${crypto.randomUUID().slice(0, 6)}`;
/** Every request the attacker's server received, preflights included. */
const received: Array<{ method: string; url: string; headers: IncomingHttpHeaders }> = [];

beforeAll(async () => {
  const port = await freePort();
  attackerOrigin = `http://127.0.0.1:${port}`;
  // It relays every call to the real API (as a phishing proxy would), so the page works and nothing but the page can stop the token.
  attacker = createServer((req, res) => {
    received.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers });
    const cors = {
      "access-control-allow-origin": "*",
      "access-control-allow-headers": "authorization, content-type, idempotency-key, holdfast-admission",
      "access-control-allow-methods": "GET, POST, DELETE",
    };
    if (req.method === "OPTIONS") {
      res.writeHead(204, cors);
      res.end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const headers: Record<string, string> = {};
      for (const name of ["authorization", "content-type", "idempotency-key"]) {
        const v = req.headers[name];
        if (typeof v === "string") headers[name] = v;
      }
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const upstream = await fetch(`${api.origin}${req.url}`, { method: req.method ?? "GET", headers, body });
      res.writeHead(upstream.status, { ...cors, "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => attacker.listen(port, "127.0.0.1", resolve));
  ({ app: api, browser } = await bootBrowser());
}, 240_000);

afterAll(async () => {
  await Promise.all([browser?.close(), api?.stop(), new Promise((r) => attacker?.close(r))]);
});

describe("the storefront's API origin", () => {
  it("never sends the shopper's token, nor any request, to an origin named in ?api=", async () => {
    const put = await merchant(api.origin, "PUT", `/v1/skus/${sku}`, {
      name: "Tee",
      price: { amount: 1500, currency: "usd" },
      alwaysOn: true,
    });
    expect(put.status).toBe(201);
    expect((await merchant(api.origin, "POST", `/v1/skus/${sku}/adjustments`, { delta: 5, reason: "restock" })).status).toBe(200);
    const page = await browser.newPage();
    await page.goto(`${api.origin}/storefront/?sku=${sku}`);
    await page.fill("#token", await shopperToken("store-victim"));
    await page.click("#load");
    await expect.poll(() => page.getByTestId("left").textContent(), { timeout: 10_000 }).toBe("5 left");

    // The same tab, now sent to a link that names the attacker's server.
    await page.goto(`${api.origin}/storefront/?sku=${sku}&api=${encodeURIComponent(attackerOrigin)}`);
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
