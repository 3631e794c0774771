/**
 * Issue 20 item 7: the console shows only what the signed-in key's role may do
 * (spec §12), read from the server's own OpenAPI document, and says in place
 * why a control is absent. One key per role signs in; for each, the write
 * controls of the SKU, sale and order panels are there or their reason is.
 * The post-sale report names the actors (item 4). `ROLE_SCREENSHOTS=docs/screenshots`
 * saves each role's page as console-role-*.png (the pictures in docs/live-and-console.md).
 */
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { api, hold, merchant, paidOrder } from "../support/node/console-api.ts";
import { consoleSession, go, textOf, UI_TIMEOUT_MS } from "../support/node/console-page.ts";

vi.setConfig({ testTimeout: 90_000 });
const SHOTS = process.env.ROLE_SCREENSHOTS;
const run = crypto.randomUUID().slice(0, 6);
const session = consoleSession();
const page = (): Page => session.page;
const origin = () => session.app.origin;
const text = (selector: string) => textOf(page(), selector);
const usd = (amount: number) => ({ amount, currency: "usd" });

type Role = "viewer" | "fulfillment" | "manager" | "owner";
const keys = {} as Record<Role, { keyId: string; secret: string }>;
const sku = `roles-tee-${run}`;
const saleId = `roles-sale-${run}`;
let orderId: string;

beforeAll(async () => {
  for (const role of ["viewer", "fulfillment", "manager", "owner"] as const) {
    const made = await merchant(origin(), "POST", "/v1/api-keys", { name: `${role} ${run}`, role });
    expect(made.status).toBe(201);
    keys[role] = { keyId: made.body.keyId as string, secret: made.body.secret as string };
  }
  const manager = keys.manager.secret;
  expect((await api(origin(), "PUT", `/v1/skus/${sku}`, manager, { name: "Roles tee", price: usd(2500) })).status).toBe(201);
  expect((await api(origin(), "POST", `/v1/skus/${sku}/adjustments`, manager, { delta: 10, reason: "restock" })).status).toBe(200);
  const now = Date.now();
  const sale = {
    name: "Roles drop",
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
    items: [{ sku, price: usd(1500), perCustomerLimit: 2 }],
  };
  expect((await api(origin(), "PUT", `/v1/sales/${saleId}`, manager, sale)).status).toBe(201);
  const held = await hold(origin(), `buyer-${run}`, sku, 1);
  orderId = await paidOrder(origin(), `buyer-${run}`, held.body.holdId as string);
}, 120_000);

async function signIn(role: Role) {
  if (await page().isVisible("#sign-out")) await page().click("#sign-out");
  await page().goto(`${origin()}/console`);
  await page().fill("#login input[name=token]", keys[role].secret);
  await page().click("#login button[type=submit]");
  await page().waitForSelector("#nav", { state: "visible" });
  // The first sign-in reads the OpenAPI document: more than the poll's default second on a busy machine.
  await poll(text("#whoami")).toBe(`${keys[role].keyId} · ${role}`);
}

const present = (selector: string) => page().locator(selector).count();
/** expect.poll with the page's patience rather than the default second: the machine is shared. */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: UI_TIMEOUT_MS });
/** The reason shown where the control `name` would be. */
const reason = (name: string) => text(`[data-absent="${name}"]`);

/** A screenshot for the docs when asked for; on a SKU's page once its holds list drew the sold hold. */
async function shotOf(name: string) {
  if (!SHOTS) return;
  if (await page().isVisible('[data-level="onhand"]')) await page().waitForSelector('td:text-is("committed")', { timeout: UI_TIMEOUT_MS });
  await page().screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Opens `hash` and waits for the element that says the panel is drawn. */
async function open(hash: string, drawn: string) {
  await go(page(), hash);
  await page().waitForSelector(drawn, { timeout: UI_TIMEOUT_MS });
}

describe("the console by role", () => {
  it("a viewer reads SKUs, sales and orders with every write control left out, each with its reason", async () => {
    await signIn("viewer");
    await open("#skus", `[data-panel="skus"] tr[data-sku="${sku}"]`);
    expect(await present('form[data-form="create-sku"]')).toBe(0);
    await poll(reason("create-sku")).toBe("Creating a SKU needs an owner or manager key; this is a viewer key.");

    await open(`#skus/${sku}`, '[data-level="onhand"]');
    expect(await present('form[data-form="adjust"]')).toBe(0);
    expect(await present('form[data-form="edit-sku"]')).toBe(0);
    await poll(reason("adjust")).toBe("Restocking or adjusting stock needs an owner or manager key; this is a viewer key.");
    await poll(reason("edit-sku")).toBe("Editing a SKU needs an owner or manager key; this is a viewer key.");
    await shotOf("console-role-viewer");

    await open("#sales", `tr[data-sale="${saleId}"]`);
    expect(await present('a[data-action="new-sale"]')).toBe(0);
    expect(await present(`tr[data-sale="${saleId}"] [data-action="edit-sale"]`)).toBe(0);
    expect(await present(`tr[data-sale="${saleId}"] [data-action="end-sale"]`)).toBe(0);
    await poll(reason("sale-writes")).toContain("Creating, editing and ending sales needs an owner or manager key");

    await open(`#orders/${orderId}`, `[data-order-detail="${orderId}"]`);
    for (const action of ["fulfil", "refund", "cancel"]) expect(await present(`[data-order-detail] [data-action="${action}"]`)).toBe(0);
    await poll(reason("order-fulfil")).toBe("Fulfilling orders needs an owner, manager or fulfillment key; this is a viewer key.");
    await poll(reason("order-refund")).toBe("Refunding and cancelling orders needs an owner or manager key; this is a viewer key.");

    expect(await page().isVisible('#nav a[data-tab="keys"]')).toBe(false);
    await open("#keys", '[data-panel="keys"] h1');
    await poll(reason("keys")).toBe("Managing API keys needs an owner key; this is a viewer key.");
    expect(session.errors).toEqual([]);
  });

  it("a fulfillment key fulfils orders, and the panels it may not read say so instead of failing", async () => {
    await signIn("fulfillment");
    // Orders are its panel: it opens there.
    await page().waitForSelector('[data-panel="orders"]', { timeout: UI_TIMEOUT_MS });
    await open(`#orders/${orderId}`, `[data-order-detail="${orderId}"]`);
    expect(await present('[data-order-detail] [data-action="fulfil"]')).toBe(1);
    expect(await present('[data-order-detail] [data-action="refund"]')).toBe(0);
    await expect
      .poll(reason("order-refund"))
      .toBe("Refunding and cancelling orders needs an owner or manager key; this is a fulfillment key.");
    await shotOf("console-role-fulfillment");

    await open("#skus", '[data-panel="skus"] h1');
    await poll(reason("skus")).toBe("Reading SKUs needs an owner, manager or viewer key; this is a fulfillment key.");
    expect(await present('form[data-form="create-sku"]')).toBe(0);
    // It may open one sale by its id, not list them all.
    await open("#sales", '[data-panel="sales"] h1');
    await poll(reason("list-sales")).toBe("Listing every sale needs an owner, manager or viewer key; this is a fulfillment key.");
    expect(await present('a[data-action="new-sale"]')).toBe(0);
    expect(session.errors).toEqual([]);
  });

  it("a manager changes SKUs, stock, sales and orders, and is told the keys page is the owners'", async () => {
    await signIn("manager");
    await open("#skus", `[data-panel="skus"] tr[data-sku="${sku}"]`);
    expect(await present('form[data-form="create-sku"]')).toBe(1);
    await open(`#skus/${sku}`, '[data-level="onhand"]');
    expect(await present('form[data-form="adjust"]')).toBe(1);
    expect(await present('form[data-form="edit-sku"]')).toBe(1);
    expect(await present('[data-panel="skus"] [data-absent]')).toBe(0);
    await shotOf("console-role-manager");

    await open("#sales", `tr[data-sale="${saleId}"]`);
    expect(await present('a[data-action="new-sale"]')).toBe(1);
    expect(await present(`tr[data-sale="${saleId}"] [data-action="edit-sale"]`)).toBe(1);
    expect(await present(`tr[data-sale="${saleId}"] [data-action="end-sale"]`)).toBe(1);

    await open(`#orders/${orderId}`, `[data-order-detail="${orderId}"]`);
    expect(await present('[data-order-detail] [data-action="refund"]')).toBe(1);
    expect(await present('[data-panel="orders"] [data-absent]')).toBe(0);

    await open("#keys", '[data-panel="keys"] h1');
    await poll(reason("keys")).toBe("Managing API keys needs an owner key; this is a manager key.");
    expect(session.errors).toEqual([]);
  });

  it("an owner sees every control and the keys page, with no reason shown anywhere", async () => {
    await signIn("owner");
    expect(await page().isVisible('#nav a[data-tab="keys"]')).toBe(true);
    await open(`#skus/${sku}`, '[data-level="onhand"]');
    expect(await present('form[data-form="adjust"]')).toBe(1);
    expect(await present("[data-absent]")).toBe(0);
    await shotOf("console-role-owner");
    await open("#keys", '[data-panel="keys"] form');
    expect(await present("[data-absent]")).toBe(0);
    // Webhook signing secrets are the owners' too: add one, shown once, then listed without it.
    await page().waitForSelector('[data-part="webhook-secrets"] tr[data-secret-id="env"]', { timeout: UI_TIMEOUT_MS });
    await page().click('[data-action="add-secret"]');
    const secret = (await text('[data-part="webhook-secrets"] .secret-once .secret')())!;
    expect(secret).toMatch(/^whsec_/);
    await poll(() => page().locator('[data-part="webhook-secrets"] tbody tr').count()).toBe(2);
    expect(await text('[data-part="webhook-secrets"] table')()).not.toContain(secret);
    await open(`#orders/${orderId}`, `[data-order-detail="${orderId}"]`);
    expect(await present('[data-order-detail] [data-action="fulfil"]')).toBe(1);
    expect(await present("[data-absent]")).toBe(0);
    expect(session.errors).toEqual([]);
  });

  it("a key scoped to locations is told which panels are not limited to locations", async () => {
    const location = `wh-${run}`;
    const made = await merchant(origin(), "PUT", `/v1/locations/${location}`, { name: "Roles warehouse", country: "DE" });
    expect(made.status).toBe(201);
    const scoped = await merchant(origin(), "POST", "/v1/api-keys", { name: `scoped ${run}`, role: "manager", locations: [location] });
    expect(scoped.status).toBe(201);
    if (await page().isVisible("#sign-out")) await page().click("#sign-out");
    await page().goto(`${origin()}/console`);
    await page().fill("#login input[name=token]", scoped.body.secret as string);
    await page().click("#login button[type=submit]");
    await poll(text("#whoami")).toBe(`${scoped.body.keyId} · manager`);
    await open("#audit", '[data-panel="audit"] h1');
    await poll(reason("audit")).toBe(`Reading the audit log is not limited to locations; this key is scoped to ${location}.`);
    // Its SKU page: its location's levels, and what is kept only for the whole SKU named as left out rather than blank.
    expect((await merchant(origin(), "PUT", `/v1/skus/${sku}/locations/${location}`, {})).status).toBe(200);
    await open(`#skus/${sku}`, '[data-level="onhand"]');
    await poll(text('[data-level="scope"] dd')).toMatch(new RegExp(`^${location} only`));
    expect(await text('[data-level="scope"] .scope-note')()).toBe("received and returned are kept for the whole SKU");
    expect(await present('[data-level="received"]')).toBe(0);
    if (SHOTS) await page().screenshot({ path: path.join(SHOTS, "console-role-scoped.png"), fullPage: true });
    expect(session.errors).toEqual([]);
  });

  it("the post-sale report names who acted on the sale", async () => {
    // The manager created the sale; the owner ends it.
    expect((await api(origin(), "POST", `/v1/sales/${saleId}/end`, keys.owner.secret, {})).status).toBe(200);
    await signIn("viewer");
    await expect
      .poll(
        async () => {
          await go(page(), `#report/${saleId}`);
          return page()
            .locator('[data-part="actors"]')
            .textContent({ timeout: 2_000 })
            .catch(() => "");
        },
        { timeout: 20_000 },
      )
      .toContain(`${keys.owner.keyId} (owner)`);
    const actors = (await text('[data-part="actors"]')())!;
    expect(actors).toContain(`${keys.manager.keyId} (manager)`);
    const rows = await page().locator('[data-part="actions"] tbody tr').allTextContents();
    expect(rows.join("\n")).toMatch(/Created the sale.*manager/);
    expect(rows.join("\n")).toMatch(/Ended the sale.*owner/);
    await shotOf("console-role-report");
    expect(session.errors).toEqual([]);
  });
});
