/**
 * CORS from a real browser (headless Chromium from @sparticuz/chromium, driven
 * by playwright-core): a page served from another origin calls the API the way
 * a storefront would, through `wrangler dev`.
 */
import { sign } from "hono/jwt";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../support/secrets.ts";
import { bootBrowser, sharedBrowserApp } from "../support/node/shared-browser.ts";
import type { DevServer } from "../support/node/wrangler-dev.ts";

let api: DevServer;
let browser: Browser;
let pagePort: number;

beforeAll(async () => {
  // The run's server lists this page's origin, http://127.0.0.1:<port>, in CORS_ORIGINS (test/support/node/browser-global-setup.ts).
  // Only 127.0.0.1 is listed: the same page loaded as http://localhost:<port> is another origin.
  const shared = sharedBrowserApp();
  if (!shared) throw new Error("cors.test.ts runs in the browser project, whose globalSetup serves its page");
  pagePort = shared.corsPagePort;
  ({ app: api, browser } = await bootBrowser());
}, 90_000);

afterAll(async () => {
  await Promise.all([browser?.close(), api?.stop()]);
});

async function pageAt(origin: string) {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  return page;
}

describe("a storefront page on another origin", () => {
  it("calls the API with preflighted requests and reads the exposed headers", async () => {
    const page = await pageAt(`http://127.0.0.1:${pagePort}`);
    const shopper = await sign(
      { sub: "browser-alice", exp: Math.floor(Date.now() / 1000) + 600 },
      TEST_SECRETS.SHOPPER_JWT_SECRET,
      "HS256",
    );
    const result = await page.evaluate(
      async ({ api, admin, shopper }) => {
        const json = { "content-type": "application/json" };
        const sku = `browser-${crypto.randomUUID().slice(0, 8)}`;
        const put = await fetch(`${api}/v1/skus/${sku}`, {
          method: "PUT",
          headers: { ...json, authorization: `Bearer ${admin}` },
          body: JSON.stringify({ name: "Browser tee", price: { amount: 1000, currency: "usd" }, alwaysOn: true }),
        });
        await fetch(`${api}/v1/skus/${sku}/adjustments`, {
          method: "POST",
          headers: { ...json, authorization: `Bearer ${admin}` },
          body: JSON.stringify({ delta: 5, reason: "restock" }),
        });
        const holdInit = {
          method: "POST",
          headers: { ...json, authorization: `Bearer ${shopper}`, "idempotency-key": `cart-${sku}`, "request-id": "browser-request-0001" },
          body: JSON.stringify({ quantity: 2 }),
        };
        const first = await fetch(`${api}/v1/skus/${sku}/holds`, holdInit);
        const again = await fetch(`${api}/v1/skus/${sku}/holds`, holdInit);
        const refused = await fetch(`${api}/v1/skus/${sku}/holds`, {
          method: "POST",
          headers: { ...json, authorization: `Bearer ${shopper}` },
          body: JSON.stringify({ quantity: 50 }),
        });
        return {
          put: put.status,
          first: { status: first.status, requestId: first.headers.get("request-id"), body: await first.json() },
          again: { status: again.status, replayed: again.headers.get("idempotent-replayed") },
          refused: { status: refused.status, type: refused.headers.get("content-type"), body: await refused.json() },
        };
      },
      { api: api.origin, admin: TEST_SECRETS.ADMIN_TOKEN, shopper },
    );
    expect(result.put).toBe(201);
    expect(result.first).toMatchObject({ status: 201, requestId: "browser-request-0001", body: { quantity: 2, status: "held" } });
    expect(result.again).toEqual({ status: 201, replayed: "true" });
    expect(result.refused).toMatchObject({
      status: 409,
      type: "application/problem+json",
      body: { code: "insufficient_stock", available: 3 },
    });
    await page.close();
  });

  it("is refused by the browser from an origin CORS_ORIGINS does not list", async () => {
    const page = await pageAt(`http://localhost:${pagePort}`);
    const outcome = await page.evaluate(async (api) => {
      try {
        const res = await fetch(`${api}/healthz`);
        return `status ${res.status}`;
      } catch (e) {
        return (e as Error).name;
      }
    }, api.origin);
    expect(outcome).toBe("TypeError");
    await page.close();
  });
});
