/**
 * The example storefront (public/storefront/) in a headless browser against
 * `wrangler dev`, seeded with `npm run seed -- examples/sale.json`: live "N
 * left" (WebSocket, or polling where there is none), a hold with its
 * countdown that survives a reload, checkout with the simulated card, paid;
 * and a sale's waiting room: the hold joins the line, shows the shopper's
 * place, and goes through once admitted.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../support/secrets.ts";
import { api as call, shopperToken } from "../support/node/console-api.ts";
import { consoleSession } from "../support/node/console-page.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const SCREENSHOT = process.env.STOREFRONT_SCREENSHOT;
const LINE_SCREENSHOT = process.env.STOREFRONT_LINE_SCREENSHOT;

/** wrangler dev and headless Chromium for this file (test/support/node/console-page.ts). */
const session = consoleSession();

describe("the example storefront", () => {
  it("shows live stock, holds with a countdown across a reload, and checks out with the simulated card", async () => {
    const seeded = await promisify(execFile)(
      process.execPath,
      [path.join(ROOT, "scripts", "seed.ts"), "examples/sale.json", "--url", session.app.origin],
      {
        cwd: ROOT,
        env: { ...process.env, HOLDFAST_ADMIN_TOKEN: TEST_SECRETS.ADMIN_TOKEN },
      },
    );
    expect(seeded.stdout).toMatch(/kit-cap\s+created/);
    expect(seeded.stdout).toMatch(/kit-launch\s+created\s+live/);

    const alice = await shopperToken("store-alice");
    const page = await session.browser.newPage();
    await page.goto(`${session.app.origin}/storefront/?sku=kit-cap`);
    await page.fill("#token", alice);
    await page.click("#load");
    const left = page.getByTestId("left");
    await expect.poll(() => left.textContent(), { timeout: 10_000 }).toBe("120 left");
    expect(await page.textContent("#price")).toBe("$19.00");
    expect(await page.textContent("#list-price")).toBe("$25.00");
    // The first levels come from a read; the feed says "connecting" until its socket (or the polling fallback) is up.
    await expect.poll(() => page.getByTestId("feed").textContent(), { timeout: 10_000 }).toMatch(/live \(WebSocket\)|polling every 2 s/);

    // Another shopper takes 3: the page follows without a reload.
    const bob = await shopperToken("store-bob");
    const held = await fetch(`${session.app.origin}/v1/skus/kit-cap/holds`, {
      method: "POST",
      headers: { authorization: `Bearer ${bob}`, "content-type": "application/json" },
      body: JSON.stringify({ quantity: 3 }),
    });
    expect(held.status).toBe(201);
    await expect.poll(() => left.textContent(), { timeout: 10_000 }).toBe("117 left");

    await page.fill("#quantity", "2");
    await page.click("#hold");
    const cart = page.getByTestId("holds");
    await expect
      .poll(() => cart.textContent(), { timeout: 10_000 })
      .toMatch(/2 × kit-cap \(held\) \$19\.00 each = \$38\.00 expires in (10:00|9:\d\d)/);

    // The cart survives a reload once GET /v1/me/holds has it (about a second behind the object).
    await expect
      .poll(
        async () =>
          (
            (await (await fetch(`${session.app.origin}/v1/me/holds`, { headers: { authorization: `Bearer ${alice}` } })).json()) as {
              data: unknown[];
            }
          ).data.length,
        { timeout: 10_000 },
      )
      .toBe(1);
    await page.reload();
    await expect.poll(() => cart.textContent(), { timeout: 10_000 }).toMatch(/2 × kit-cap \(held\) \$19\.00 each = \$38\.00 expires in/);

    await page.selectOption("#payment-method", "pm_card_visa");
    await page.click("#checkout");
    await expect.poll(() => page.getByTestId("order-status").textContent(), { timeout: 20_000 }).toBe("paid");
    expect(await page.textContent("#order-total")).toBe("$38.00");
    await expect.poll(() => left.textContent(), { timeout: 10_000 }).toBe("115 left");
    expect(await page.getByTestId("message").textContent()).toBe("");
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.close();
  }, 90_000);

  it("joins a sale's waiting room when a hold needs an admission, shows the shopper's place, and holds once admitted", async () => {
    const admin = TEST_SECRETS.ADMIN_TOKEN;
    const sku = `line-cap-${Date.now()}`;
    const saleId = `line-sale-${Date.now()}`;
    const price = { amount: 1500, currency: "usd" };
    expect((await call(session.app.origin, "PUT", `/v1/skus/${sku}`, admin, { name: "Line cap", price })).status).toBe(201);
    expect((await call(session.app.origin, "POST", `/v1/skus/${sku}/adjustments`, admin, { delta: 1, reason: "restock" })).status).toBe(
      200,
    );
    const now = Date.now();
    const sale = {
      name: "Line sale",
      startsAt: new Date(now - 60_000).toISOString(),
      endsAt: new Date(now + 3_600_000).toISOString(),
      items: [{ sku, price, perCustomerLimit: 2 }],
      queue: { mode: "fifo" },
    };
    expect((await call(session.app.origin, "PUT", `/v1/sales/${saleId}`, admin, sale)).status).toBe(201);
    // Three shoppers are in line first: one unit admits the first, two wait.
    for (const who of ["line-1", "line-2", "line-3"]) {
      expect((await call(session.app.origin, "POST", `/v1/sales/${saleId}/queue`, await shopperToken(who), {})).status).toBe(200);
      await new Promise((r) => setTimeout(r, 5));
    }

    const page = await session.browser.newPage();
    await page.goto(`${session.app.origin}/storefront/?sku=${sku}`);
    await page.fill("#token", await shopperToken("line-dana"));
    await page.click("#load");
    await expect.poll(() => page.getByTestId("left").textContent(), { timeout: 10_000 }).toBe("1 left");
    // The sale's price equals the list price: nothing is struck through.
    expect(await page.textContent("#list-price")).toBe("");
    await page.click("#hold");
    const line = page.getByTestId("line-status");
    // Two wait ahead of her: she is third among those not yet admitted.
    await expect.poll(() => line.textContent(), { timeout: 15_000 }).toBe("You're in line: 3 of 3.");
    if (LINE_SCREENSHOT) await page.screenshot({ path: LINE_SCREENSHOT, fullPage: true });

    // A restock admits the rest of the line; her hold goes through with the admission.
    expect((await call(session.app.origin, "POST", `/v1/skus/${sku}/adjustments`, admin, { delta: 10, reason: "restock" })).status).toBe(
      200,
    );
    await expect
      .poll(() => page.getByTestId("holds").textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`1 × ${sku} \\(held\\) \\$15\\.00 each = \\$15\\.00 expires in`));
    expect(await line.textContent()).toBe("It's your turn.");
    expect(await page.getByTestId("message").textContent()).toBe("");
    await page.close();
  }, 90_000);
});
