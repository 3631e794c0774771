/**
 * The merchant console (/console) in a real browser against `wrangler dev`:
 * one sale told end to end, in order. The merchant works in the console; the
 * shoppers hold and pay through the API. On a failure the page is saved under
 * test/browser/.screenshots/ (gitignored).
 *
 * Panels whose routes are optional (see console-api.ts featuresOf) are tested
 * when the server's OpenAPI document has them and skipped otherwise, next to a
 * test that each missing one says "not available".
 */
import { beforeAll, describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../support/secrets.ts";
import { api, featuresOf, hold, merchant, paidOrder, shopperToken, type ConsoleFeatures } from "../support/node/console-api.ts";
import { consoleSession, go as goTo, textOf, UI_TIMEOUT_MS } from "../support/node/console-page.ts";

const run = crypto.randomUUID().slice(0, 6);
const sku = `console-tee-${run}`;
const saleId = `console-sale-${run}`;

const session = consoleSession();
let features: ConsoleFeatures;
beforeAll(async () => {
  features = await featuresOf(session.app.origin);
});

const text = (selector: string) => textOf(session.page, selector);
const go = (hash: string) => goTo(session.page, hash);

describe("the merchant console", () => {
  it("is served at /console, / leads there, and the API still reaches the Worker", async () => {
    const root = await fetch(`${session.app.origin}/`, { redirect: "manual" });
    expect(root.status).toBe(302);
    expect(new URL(root.headers.get("location")!, session.app.origin).pathname).toBe("/console/");
    const html = await fetch(`${session.app.origin}/console/`);
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(html.headers.get("content-security-policy")).toContain("script-src 'self'");
    const contract = await fetch(`${session.app.origin}/openapi.json`);
    expect(contract.headers.get("content-type")).toContain("application/json");
    expect((await fetch(`${session.app.origin}/healthz`)).status).toBe(200);
    expect((await fetch(`${session.app.origin}/v1/nope`)).headers.get("content-type")).toBe("application/problem+json");
  });

  it("keeps a wrong token out, then signs in with the merchant token kept only in sessionStorage", async () => {
    await session.page.goto(`${session.app.origin}/console`);
    await session.page.fill("#login input[name=token]", "not-the-token");
    await session.page.click("#login button[type=submit]");
    await expect.poll(text("#login .form-banner")).toContain("The token was refused");
    expect(await session.page.isVisible("#nav")).toBe(false);

    await session.page.fill("#login input[name=token]", TEST_SECRETS.ADMIN_TOKEN);
    await session.page.click("#login button[type=submit]");
    await session.page.waitForSelector("#nav", { state: "visible" });
    await session.page.waitForSelector('[data-panel="skus"] h1');
    const stored = await session.page.evaluate(() => ({
      session: sessionStorage.getItem("holdfast.token"),
      local: JSON.stringify(localStorage),
    }));
    expect(stored.session).toBe(TEST_SECRETS.ADMIN_TOKEN);
    expect(stored.local).not.toContain(TEST_SECRETS.ADMIN_TOKEN);
    expect(session.page.url()).not.toContain(TEST_SECRETS.ADMIN_TOKEN);
  });

  it("creates a SKU and restocks it with a reason and a reference", async () => {
    const create = session.page.locator('form[data-form="create-sku"]');
    await create.locator("input[name=sku]").fill(sku);
    await create.locator("input[name=name]").fill("Console tee");
    await create.locator('input[name="price.amount"]').fill("2500");
    await create.locator("button[type=submit]").click();
    await session.page.waitForSelector(`h1:has-text("${sku}")`);

    const adjust = session.page.locator('form[data-form="adjust"]');
    await adjust.locator("input[name=delta]").fill("10");
    await adjust.locator("select[name=reason]").selectOption("restock");
    await adjust.locator("input[name=reference]").fill(`PO-${run}`);
    await adjust.locator("button[type=submit]").click();
    await expect.poll(text('[data-level="onhand"] dd')).toBe("10");
    expect(await text('[data-level="available"] dd')()).toBe("10");
    expect(await text('[data-level="shards"] dd')()).toBe("1");

    const levels = await merchant(session.app.origin, "GET", `/v1/skus/${sku}`);
    expect(levels.body).toMatchObject({ onHand: 10, received: 10, available: 10, name: "Console tee" });
  });

  it("shows the server's field errors beside the sale form's fields", async () => {
    await go("#sales/new");
    const form = session.page.locator('form[data-form="sale"]');
    await form.locator("input[name=saleId]").fill(`${saleId}-bad`);
    await form.locator("input[name=name]").fill("Broken sale");
    await form.locator('input[name="items.0.sku"]').fill(sku);
    await form.locator('input[name="items.0.price.amount"]').fill("1500");
    // No per-customer limit: the item's field says so.
    await form.locator("button[type=submit]").click();
    await session.page.waitForSelector('.field.invalid[data-path="items.0.perCustomerLimit"]');
    expect(await text('.field[data-path="items.0.perCustomerLimit"] .error')()).not.toBe("");
    // Then an end before the start: that error replaces the first.
    await form.locator('input[name="items.0.perCustomerLimit"]').fill("2");
    await form.locator("input[name=endsAt]").fill("2020-01-01T00:00:00");
    await form.locator("button[type=submit]").click();
    await session.page.waitForSelector('.field.invalid[data-path="endsAt"]');
    expect(await session.page.isVisible('.field.invalid[data-path="items.0.perCustomerLimit"]')).toBe(false);
    expect((await merchant(session.app.origin, "GET", `/v1/sales/${saleId}-bad`)).status).toBe(404);
  });

  it("creates a live sale whose board shows the level falling as shoppers hold through the API", async () => {
    await go("#sales/new");
    const form = session.page.locator('form[data-form="sale"]');
    await form.locator("input[name=saleId]").fill(saleId);
    await form.locator("input[name=name]").fill("Console launch");
    // Starts now (the form's default start), so the sale is live at once.
    await form.locator('input[name="items.0.sku"]').fill(sku);
    await form.locator('input[name="items.0.price.amount"]').fill("1500");
    await form.locator('input[name="items.0.perCustomerLimit"]').fill("2");
    await form.locator("button[type=submit]").click();
    await session.page.waitForSelector(`[data-item="${sku}"]`);
    await expect.poll(text(`[data-available="${sku}"]`), { timeout: UI_TIMEOUT_MS }).toBe("10");

    for (const customer of ["ann", "bob", "cy"]) {
      expect((await hold(session.app.origin, `${customer}-${run}`, sku, 2)).status).toBe(201);
    }
    const refused = await hold(session.app.origin, `ann-${run}`, sku, 1);
    expect(refused.body.code).toBe("limit_exceeded");

    await expect.poll(text(`[data-available="${sku}"]`), { timeout: UI_TIMEOUT_MS }).toBe("4");
    await expect.poll(text(`[data-item="${sku}"] [data-metric="expiredCreated"]`), { timeout: UI_TIMEOUT_MS }).toBe("0 / 3");
    await expect.poll(text(`[data-item="${sku}"] [data-code="limit_exceeded"]`), { timeout: UI_TIMEOUT_MS }).toContain("1");
    // Three holds of this sale in the last minute, counted (the refused one is no hold).
    expect(await text(`[data-item="${sku}"] [data-metric="holdsRecent"]`)()).toBe("3");
    await session.page.waitForSelector(`[data-item="${sku}"] svg.chart path.line.avail`);
  });

  it("receives the levels over the live WebSocket when the server pushes them", async (ctx) => {
    if (!features.live) ctx.skip();
    await expect.poll(() => session.page.getAttribute(`[data-item="${sku}"]`, "data-via"), { timeout: UI_TIMEOUT_MS }).toBe("live");
    expect((await hold(session.app.origin, `dee-${run}`, sku, 1)).status).toBe(201);
    await expect.poll(text(`[data-available="${sku}"]`), { timeout: UI_TIMEOUT_MS }).toBe("3");
  });

  it("refunds a paid order with restock from the orders panel", async () => {
    const held = await hold(session.app.origin, `eve-${run}`, sku, 2);
    expect(held.status).toBe(201);
    const orderId = await paidOrder(session.app.origin, `eve-${run}`, held.body.holdId as string);

    await go("#orders");
    await session.page.fill('[data-panel="orders"] input[name=sku]', sku);
    await session.page.click('[data-panel="orders"] form button[type=submit]');
    await session.page.waitForSelector(`[data-panel="orders"] tbody[data-query*="sku=${sku}"]`);
    const row = session.page.locator(`tr[data-order="${orderId}"]`);
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("paid");
    await row.locator('[data-action="refund"]').click();
    expect(await row.locator("input[name=restock]").isChecked()).toBe(true);
    await row.locator('[data-action="confirm-refund"]').click();
    await session.page.waitForSelector(`tr[data-order="${orderId}"][data-status="refunded"]`, { timeout: UI_TIMEOUT_MS });

    const levels = await merchant(session.app.origin, "GET", `/v1/skus/${sku}`);
    expect(levels.body).toMatchObject({ sold: 0, returned: 2 });
  });

  it("lists the SKU's audit stream with the restock's reference and verifies every chain", async () => {
    await go(`#audit/sku:${sku}`);
    // Events reach D1 shortly after the object commits them.
    await expect
      .poll(
        async () => {
          await session.page.click('[data-panel="audit"] form button[type=submit]');
          return session.page.locator('[data-panel="audit"] tbody').textContent();
        },
        { timeout: UI_TIMEOUT_MS },
      )
      .toContain(`PO-${run}`);
    await session.page.click('[data-action="verify"]');
    await session.page.waitForSelector(".verdict.good", { timeout: UI_TIMEOUT_MS });
    expect(await text(".verdict")()).toContain("every hash chain intact");
  });

  it("opens the post-sale report: sold within received and every customer within the limit", async (ctx) => {
    if (!features.report) ctx.skip();
    await go(`#report/${saleId}`);
    await session.page.waitForSelector(`[data-panel="report"] tr[data-sku="${sku}"]`, { timeout: UI_TIMEOUT_MS });
    expect(await text(`[data-panel="report"] tr[data-sku="${sku}"] td.good`)()).toContain("≤");
    expect(await session.page.getAttribute("[data-customers]", "data-customers")).toBe("ok");
    await session.page.waitForSelector('[data-panel="report"] svg.chart');
  });

  it("lists a SKU's holds and voids one", async (ctx) => {
    if (!features.listHolds || !features.voidHold) ctx.skip();
    // Before the sale ends (the next test), while a shopper can still hold.
    const held = await hold(session.app.origin, `fay-${run}`, sku, 1);
    expect(held.status).toBe(201);
    await go(`#skus/${sku}`);
    const row = session.page.locator(`tr:has-text("${held.body.holdId as string}")`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    await row.locator("button.danger").click();
    await expect
      .poll(() => merchant(session.app.origin, "GET", `/v1/skus/${sku}/holds/${held.body.holdId as string}`).then((r) => r.body.status), {
        timeout: UI_TIMEOUT_MS,
      })
      .not.toBe("held");
  });

  it("shows a change of a hold's quantity in the hold's history", async (ctx) => {
    if (!features.listHolds) ctx.skip();
    // While the sale is live (limit 2): the shopper's cart takes one more unit in place.
    const customer = `gus-${run}`;
    const held = await hold(session.app.origin, customer, sku, 1);
    expect(held.status).toBe(201);
    const holdId = held.body.holdId as string;
    const changed = await api(session.app.origin, "PATCH", `/v1/skus/${sku}/holds/${holdId}`, await shopperToken(customer), {
      quantity: 2,
    });
    expect(changed.body).toMatchObject({ holdId, quantity: 2 });
    // The audit log trails the object by about a second.
    const audited = () => merchant(session.app.origin, "GET", `/v1/audit?stream=${encodeURIComponent(`sku:${sku}`)}&limit=200`);
    await expect.poll(async () => JSON.stringify((await audited()).body), { timeout: 15_000 }).toContain("hold.changed");
    await go(`#skus/${sku}`);
    const row = session.page.locator(`tr:has-text("${holdId}")`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    await row.locator('button[data-action="history"]').click();
    await expect
      .poll(text(`[data-hold-history="${holdId}"] li[data-type="hold.changed"]`), { timeout: UI_TIMEOUT_MS })
      .toContain("hold.changed · quantity 1 → 2");
    expect(await text(`[data-hold-history="${holdId}"] li[data-type="hold.created"]`)()).toContain("quantity 1");
  });

  it("lists the sale and ends it now", async (ctx) => {
    if (!features.listSales || !features.endSale) ctx.skip();
    await go("#sales");
    const row = session.page.locator(`tr[data-sale="${saleId}"]`);
    await row.waitFor();
    await row.locator('[data-action="end-sale"]').click();
    await row.locator('[data-action="confirm-end"]').click();
    await expect
      .poll(() => merchant(session.app.origin, "GET", `/v1/sales/${saleId}`).then((r) => r.body.status), { timeout: UI_TIMEOUT_MS })
      .toBe("ended");
  });

  it("says 'not available' for each panel whose route this server lacks", async () => {
    const missing: Array<[keyof ConsoleFeatures, string, string]> = [
      ["report", `#report/${saleId}`, "The post-sale report: not available"],
      ["listSales", "#sales", "Listing every sale: not available"],
      ["listHolds", `#skus/${sku}`, "Listing a SKU's holds: not available"],
    ];
    for (const [, hash, notice] of missing.filter(([f]) => !features[f])) {
      await go(hash);
      await expect.poll(text(".unavailable"), { timeout: UI_TIMEOUT_MS }).toContain(notice);
    }
    expect(session.errors).toEqual([]);
  });

  it("returns to the login form when the token stops working", async () => {
    await session.page.evaluate(() => sessionStorage.setItem("holdfast.token", "revoked"));
    await go("#orders");
    await session.page.waitForSelector("#login", { state: "visible", timeout: UI_TIMEOUT_MS });
    expect(await session.page.evaluate(() => sessionStorage.getItem("holdfast.token"))).toBeNull();
  });
});
