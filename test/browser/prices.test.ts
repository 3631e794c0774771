/**
 * Prices on the example storefront (issue 26), in a headless browser against
 * `wrangler dev`: every currency in its own units through the shared formatter
 * (public/shared/money.js), a sale's price shown only while it applies, each
 * hold's own price and the cart's total after a price edit, and a hold's
 * countdown on the server's clock. `PRICES_SCREENSHOTS=<dir>` saves the pages.
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { formatMoney } from "../../public/shared/money.js";
import { TEST_SECRETS } from "../support/secrets.ts";
import { api as call, shopperToken } from "../support/node/console-api.ts";
import { consoleSession } from "../support/node/console-page.ts";

const SHOTS = process.env.PRICES_SCREENSHOTS;
const admin = TEST_SECRETS.ADMIN_TOKEN;
/** wrangler dev and headless Chromium for this file (test/support/node/console-page.ts). */
const session = consoleSession();

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

async function sku(price: { amount: number; currency: string }, stock = 10): Promise<string> {
  const id = unique("px");
  expect(
    (await call(session.app.origin, "PUT", `/v1/skus/${id}`, admin, { name: `Cap ${price.currency.toUpperCase()}`, price, alwaysOn: true }))
      .status,
  ).toBe(201);
  expect((await call(session.app.origin, "POST", `/v1/skus/${id}/adjustments`, admin, { delta: stock, reason: "restock" })).status).toBe(
    200,
  );
  return id;
}

async function sale(id: string, price: { amount: number; currency: string }, window: { startsInMs: number; endsInMs: number }) {
  const now = Date.now();
  const body = {
    name: "Flash",
    startsAt: new Date(now + window.startsInMs).toISOString(),
    endsAt: new Date(now + window.endsInMs).toISOString(),
    items: [{ sku: id, price, perCustomerLimit: 5 }],
  };
  expect((await call(session.app.origin, "PUT", `/v1/sales/${unique("sale")}`, admin, body)).status).toBe(201);
}

async function open(id: string, shopper: string, init?: (page: Page) => Promise<unknown>): Promise<Page> {
  const page = await session.browser.newPage({ locale: "en-US", viewport: { width: 720, height: 900 } });
  await init?.(page);
  await page.goto(`${session.app.origin}/storefront/?sku=${id}`);
  await page.fill("#token", await shopperToken(shopper));
  await page.click("#load");
  await expect.poll(() => page.getByTestId("left").textContent(), { timeout: 10_000 }).toMatch(/left/);
  return page;
}

const shot = (page: Page, name: string) => (SHOTS ? page.screenshot({ path: path.join(SHOTS, name), fullPage: true }) : undefined);

describe("the shared money formatter", () => {
  it.each([
    [{ amount: 1_900, currency: "jpy" }, "¥1,900"],
    [{ amount: 19_000, currency: "kwd" }, "KWD 19.000"],
    [{ amount: 1_900, currency: "usd" }, "$19.00"],
    [{ amount: 99_999_999, currency: "usd" }, "$999,999.99"],
    [{ amount: 5, currency: "USD" }, "$0.05"],
  ])("%j is %s in en-US", (money, text) => {
    // Intl separates a code from the amount with a no-break space.
    expect(formatMoney(money, "en-US").replaceAll("\u00a0", " ")).toBe(text);
  });
});

describe("prices on the storefront", () => {
  it("shows a JPY and a KWD price in their own units, a live sale's price struck against the list price", async () => {
    const yen = await sku({ amount: 1_900, currency: "jpy" });
    const page = await open(yen, unique("jp"));
    expect(await page.getByTestId("price").textContent()).toBe("¥1,900");
    await shot(page, "storefront-jpy.png");
    await page.close();

    const dinar = await sku({ amount: 19_000, currency: "kwd" });
    await sale(dinar, { amount: 15_500, currency: "kwd" }, { startsInMs: -60_000, endsInMs: 3_600_000 });
    const kwd = await open(dinar, unique("kw"));
    expect(await kwd.getByTestId("price").textContent()).toBe("KWD\u00a015.500");
    expect(await kwd.textContent("#list-price")).toBe("KWD\u00a019.000");
    await shot(kwd, "storefront-kwd.png");
    await kwd.close();
  }, 60_000);

  it("an alwaysOn SKU with a sale starting later shows the list price, and names the sale to come", async () => {
    const id = await sku({ amount: 2_500, currency: "usd" });
    await sale(id, { amount: 1_900, currency: "usd" }, { startsInMs: 3_600_000, endsInMs: 7_200_000 });
    const page = await open(id, unique("up"));
    expect(await page.getByTestId("price").textContent()).toBe("$25.00");
    expect(await page.textContent("#list-price")).toBe("");
    expect(await page.getByTestId("sale-note").textContent()).toMatch(/^Flash: \$19\.00 from /);
    await page.close();
  }, 60_000);

  it("after a price edit the product shows the new price, the cart each hold's own price and the total, and checkout charges that total", async () => {
    const id = await sku({ amount: 2_500, currency: "usd" });
    const page = await open(id, unique("cart"));
    await page.fill("#quantity", "2");
    await page.click("#hold");
    const cart = page.getByTestId("holds");
    await expect.poll(() => cart.textContent(), { timeout: 10_000 }).toMatch(/2 × .+ \(held\) \$25\.00 each = \$50\.00/);
    expect(
      (
        await call(session.app.origin, "PUT", `/v1/skus/${id}`, admin, {
          name: "Cap USD",
          price: { amount: 3_000, currency: "usd" },
          alwaysOn: true,
        })
      ).status,
    ).toBe(200);
    // The live push (or the poll) carries the new price; the hold keeps the one it was taken at.
    await expect.poll(() => page.getByTestId("price").textContent(), { timeout: 10_000 }).toBe("$30.00");
    expect(await page.getByTestId("cart-total").textContent()).toBe("$50.00");
    await shot(page, "storefront-cart-after-price-edit.png");
    await page.click("#checkout");
    await expect.poll(() => page.getByTestId("order-status").textContent(), { timeout: 20_000 }).toBe("paid");
    expect(await page.textContent("#order-total")).toBe("$50.00");
    await page.close();
  }, 60_000);

  it("counts a hold down on the server's clock when the browser's runs five minutes fast", async () => {
    const id = await sku({ amount: 2_500, currency: "usd" });
    const page = await open(id, unique("clock"), (p) =>
      p.addInitScript(() => {
        const real = Date.now.bind(Date);
        Date.now = () => real() + 5 * 60_000;
      }),
    );
    await page.click("#hold");
    await expect.poll(() => page.getByTestId("holds").textContent(), { timeout: 10_000 }).toMatch(/expires in (10:00|9:[45]\d)/);
    await page.close();
  }, 60_000);
});
