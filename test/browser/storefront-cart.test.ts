/**
 * The storefront's cart changes its mind in place (spec §3, issue 23): the
 * plus and minus buttons of a held hold call PATCH on it, in a headless
 * browser against `wrangler dev`. One more unit comes only while one is
 * available (another shopper takes the last, and "+" then says so with the
 * hold unchanged); "−" gives units back at once, and below 1 releases it.
 */
import { describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../support/secrets.ts";
import { api as call, shopperToken } from "../support/node/console-api.ts";
import { consoleSession } from "../support/node/console-page.ts";

/** wrangler dev and headless Chromium for this file (test/support/node/console-page.ts). */
const session = consoleSession();

describe("the storefront's cart", () => {
  it("adds and removes units of a hold in place with + and −, refusing a unit nobody has left", async () => {
    const admin = TEST_SECRETS.ADMIN_TOKEN;
    const sku = `cart-cap-${Date.now()}`;
    const price = { amount: 1200, currency: "usd" };
    expect((await call(session.app.origin, "PUT", `/v1/skus/${sku}`, admin, { name: "Cart cap", price, alwaysOn: true })).status).toBe(201);
    expect((await call(session.app.origin, "POST", `/v1/skus/${sku}/adjustments`, admin, { delta: 3, reason: "restock" })).status).toBe(
      200,
    );
    const available = async () => (await call(session.app.origin, "GET", `/v1/skus/${sku}`, admin)).body.available as number;

    const page = await session.browser.newPage();
    await page.goto(`${session.app.origin}/storefront/?sku=${sku}`);
    await page.fill("#token", await shopperToken("cart-ann"));
    await page.click("#load");
    await expect.poll(() => page.getByTestId("left").textContent(), { timeout: 10_000 }).toBe("3 left");
    await page.fill("#quantity", "1");
    await page.click("#hold");
    const cart = page.getByTestId("holds");
    await expect
      .poll(() => cart.textContent(), { timeout: 10_000 })
      .toMatch(new RegExp(`^1 × ${sku} \\(held\\) \\$12\\.00 each = \\$12\\.00`));
    const holdId = await page.locator("#holds li").getAttribute("data-hold-id");

    await page.click('#holds button[data-action="more"]');
    await expect
      .poll(() => cart.textContent(), { timeout: 10_000 })
      .toMatch(new RegExp(`^2 × ${sku} \\(held\\) \\$12\\.00 each = \\$24\\.00`));
    expect(await page.getByTestId("cart-total").textContent()).toBe("$24.00");
    expect(await page.locator("#holds li").getAttribute("data-hold-id")).toBe(holdId);
    expect(await available()).toBe(1);

    // Another shopper takes the last unit: one more is refused, and the hold stays as it was.
    const bob = await shopperToken("cart-bob");
    expect((await call(session.app.origin, "POST", `/v1/skus/${sku}/holds`, bob, { quantity: 1 })).status).toBe(201);
    await page.click('#holds button[data-action="more"]');
    await expect.poll(() => page.getByTestId("message").textContent(), { timeout: 10_000 }).toMatch(/^insufficient_stock: /);
    expect(await cart.textContent()).toMatch(new RegExp(`^2 × ${sku} \\(held\\)`));

    await page.click('#holds button[data-action="fewer"]');
    await expect
      .poll(() => cart.textContent(), { timeout: 10_000 })
      .toMatch(new RegExp(`^1 × ${sku} \\(held\\) \\$12\\.00 each = \\$12\\.00`));
    expect(await page.getByTestId("message").textContent()).toBe("");
    expect(await available()).toBe(1);

    // Below one, the hold is released and leaves the cart.
    await page.click('#holds button[data-action="fewer"]');
    await expect.poll(() => page.locator("#cart").isHidden(), { timeout: 10_000 }).toBe(true);
    expect(await available()).toBe(2);
    await page.close();
  }, 90_000);
});
