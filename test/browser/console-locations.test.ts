/**
 * The console's locations (spec §11) in a real browser against `wrangler dev`:
 * the Locations page lists the registry, adds a location, shows the server's
 * field errors beside the inputs, and edits one (pausing it); a located SKU's
 * page shows each location's levels and sends a transfer. On a failure the
 * page is saved under test/browser/.screenshots/ (gitignored).
 */
import { describe, expect, it } from "vitest";
import { merchant } from "../support/node/console-api.ts";
import { consoleSession, go as goTo, textOf, UI_TIMEOUT_MS } from "../support/node/console-page.ts";

const run = crypto.randomUUID().slice(0, 6);
const berlin = `wh-berlin-${run}`;
const lyon = `store-lyon-${run}`;

const session = consoleSession({ signIn: true });
const text = (selector: string) => textOf(session.page, selector);
const go = (hash: string) => goTo(session.page, hash);
const form = (name: string) => session.page.locator(`form[data-form="${name}"]`);

describe("the Locations page", () => {
  it("is in the navigation and lists the registry's locations", async () => {
    expect(
      (await merchant(session.app.origin, "PUT", `/v1/locations/${lyon}`, { name: "Lyon store", country: "FR", pickup: true })).status,
    ).toBe(201);
    await session.page.click('#nav a[data-tab="locations"]');
    await session.page.waitForSelector(`[data-panel="locations"] tr[data-location="${lyon}"]`);
    const row = (await text(`tr[data-location="${lyon}"]`)())!;
    expect(row).toContain("Lyon store");
    expect(row).toContain("FR");
    expect(row).toContain("active");
  });

  it("adds a location from the form, with the server's field errors shown beside the inputs first", async () => {
    const create = form("create-location");
    await create.locator("input[name=locationId]").fill("Not An Id");
    await create.locator("input[name=name]").fill("Berlin warehouse");
    await create.locator("input[name=country]").fill("DE");
    await create.locator("input[name=latitude]").fill("52.52");
    await create.locator("button[type=submit]").click();
    // Two refusals from the server in turn: the id (a path parameter), then a latitude without its longitude.
    await expect.poll(text('form[data-form="create-location"] [data-path="locationId"] .error')).toContain("a-z, 0-9");
    await create.locator("input[name=locationId]").fill(berlin);
    await create.locator("button[type=submit]").click();
    await expect.poll(text('form[data-form="create-location"] [data-path="longitude"] .error')).toBe("latitude needs longitude");
    expect(await text('form[data-form="create-location"] [data-path="locationId"] .error')()).toBe("");
    expect((await merchant(session.app.origin, "GET", `/v1/locations/${berlin}`)).status).toBe(404);

    await create.locator("input[name=longitude]").fill("13.405");
    await create.locator("button[type=submit]").click();
    await session.page.waitForSelector(`tr[data-location="${berlin}"]`);
    await expect.poll(text('[data-panel="locations"] .banner')).toBe(`Created ${berlin} (revision 1).`);
    expect(await text(`tr[data-location="${berlin}"]`)()).toContain("52.52, 13.405");
    const stored = await merchant(session.app.origin, "GET", `/v1/locations/${berlin}`);
    expect(stored.body).toMatchObject({ name: "Berlin warehouse", country: "DE", latitude: 52.52, longitude: 13.405, status: "active" });
    // The field errors of the first try are gone from the fresh form.
    expect(await session.page.locator('form[data-form="create-location"] .invalid').count()).toBe(0);
  });

  it("edits a location picked from the list: pausing it counts one revision", async () => {
    await session.page.click(`tr[data-location="${berlin}"] [data-action="edit"]`);
    const edit = form("edit-location");
    expect(await edit.locator("input[name=name]").inputValue()).toBe("Berlin warehouse");
    await edit.locator("select[name=status]").selectOption("paused");
    await edit.locator("button[type=submit]").click();
    await expect.poll(text('[data-panel="locations"] .banner')).toBe(`Saved ${berlin} (revision 2).`);
    await expect.poll(text(`tr[data-location="${berlin}"]`)).toContain("paused");
    expect((await merchant(session.app.origin, "GET", `/v1/locations/${berlin}`)).body).toMatchObject({ status: "paused", revision: 2 });
    await go("#locations");
    await session.page.waitForSelector(`tr[data-location="${berlin}"]`);
    expect(session.errors).toEqual([]);
  });
});

describe("a located SKU's page", () => {
  const sku = `loc-tee-${run}`;
  const cells = async (location: string) =>
    (await session.page.locator(`.sku-locations tr[data-location="${location}"] td`).allTextContents()).map((t) => t.trim());

  it("shows each location's onHand, reserved, available, sold, inTransit and safetyStock", async () => {
    const origin = session.app.origin;
    expect((await merchant(origin, "PUT", `/v1/skus/${sku}`, { name: "Tee", price: { amount: 900, currency: "eur" } })).status).toBe(201);
    expect((await merchant(origin, "PUT", `/v1/skus/${sku}/locations/${lyon}`, {})).status).toBeLessThan(300);
    expect((await merchant(origin, "PUT", `/v1/skus/${sku}/locations/${berlin}`, { safetyStock: 1 })).status).toBeLessThan(300);
    const receive = (location: string, delta: number) =>
      merchant(origin, "POST", `/v1/skus/${sku}/adjustments`, { delta, reason: "received", location });
    expect((await receive(lyon, 8)).status).toBe(200);
    expect((await receive(berlin, 4)).status).toBe(200);

    await go(`#skus/${sku}`);
    await session.page.waitForSelector(`.sku-locations tr[data-location="${lyon}"]`);
    //                                  location  onHand reserved available sold inTransit safetyStock
    await expect.poll(() => cells(lyon)).toEqual([lyon, "8", "0", "8", "0", "0", "0"]);
    expect(await cells(berlin)).toEqual([berlin, "4", "0", "3", "0", "0", "1"]);
    expect(await text(".sku-locations thead")()).toBe("LocationOn handReservedAvailableSoldIn transitSafety stock");
  });

  it("adjusts the stock of the location chosen in the adjustment form", async () => {
    const adjust = form("adjust");
    await adjust.locator("select[name=location]").selectOption(berlin);
    await adjust.locator("input[name=delta]").fill("2");
    await adjust.locator("button[type=submit]").click();
    await expect.poll(() => cells(berlin)).toEqual([berlin, "6", "0", "5", "0", "0", "1"]);
    expect(await cells(lyon)).toEqual([lyon, "8", "0", "8", "0", "0", "0"]);
  });

  it("starts the transfer form's From on the location with the most available units", async () => {
    await go(`#skus/${sku}`);
    const transfer = form("transfer");
    await transfer.waitFor({ state: "visible" });
    // default 0, Berlin 5 available (6 on hand, 1 safety stock), Lyon 8.
    await expect.poll(() => transfer.locator("select[name=from]").inputValue()).toBe(lyon);
    expect(await transfer.locator("select[name=to]").inputValue()).not.toBe(lyon);
  });

  it("sends a transfer as POST /v1/transfers { sku, from, to, quantity } with an Idempotency-Key", async () => {
    const { page, app } = session;
    const served = (await (await fetch(`${app.origin}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    const real = Boolean(served.paths["/v1/transfers"]);
    if (!real) {
      // This server predates transfers (branch loc-transfers): the form is checked by the request it sends.
      await page.route("**/openapi.json", async (route) => {
        const doc = await (await route.fetch()).json();
        doc.paths["/v1/transfers"] = { post: { security: [{ merchant: ["owner"] }, { merchant: ["manager"] }] } };
        await route.fulfill({ json: doc });
      });
      await page.route("**/v1/transfers", (route) =>
        route.fulfill({ status: 201, json: { transferId: "tr_console_test", status: "in_transit" } }),
      );
      await page.reload();
    }
    await go(`#skus/${sku}`);
    const transfer = form("transfer");
    await transfer.waitFor({ state: "visible" });
    await transfer.locator("select[name=from]").selectOption(lyon);
    await transfer.locator("select[name=to]").selectOption(berlin);
    await transfer.locator("input[name=quantity]").fill("3");
    const sent = page.waitForRequest((r) => r.url().endsWith("/v1/transfers") && r.method() === "POST");
    await transfer.locator("button[type=submit]").click();
    const request = await sent;
    expect(request.postDataJSON()).toEqual({ sku, from: lyon, to: berlin, quantity: 3 });
    expect(request.headers()["idempotency-key"]).toMatch(/^console-/);
    await expect.poll(text(".sku-locations .banner")).toMatch(/^Transfer \S+: 3 in transit from /);
    // On a server with transfers the units have left Lyon and are in transit.
    if (real) await expect.poll(() => cells(lyon)).toEqual([lyon, "5", "0", "5", "0", "3", "0"]);
    expect(session.errors).toEqual([]);
  });

  const row = (transferId: string) => session.page.locator(`.sku-transfers tr[data-transfer="${transferId}"]`);
  const rowCells = async (transferId: string) => (await row(transferId).locator("td").allTextContents()).map((t) => t.trim());
  const transfersOf = async (status: string) =>
    (await merchant(session.app.origin, "GET", `/v1/transfers?sku=${sku}&status=${status}`)).body as {
      data: { transferId: string; inTransit: number; status: string }[];
    };

  it("lists the SKU's transfers in transit: id, from → to, quantity, received, in transit, status, created", async () => {
    const [sent] = (await transfersOf("in_transit")).data;
    expect(sent).toBeDefined();
    await go(`#skus/${sku}`);
    await row(sent!.transferId).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await text(".sku-transfers thead")()).toBe("TransferFrom → ToQuantityReceivedIn transitStatusCreated");
    const [id, route, quantity, received, inTransit, status, created] = await rowCells(sent!.transferId);
    expect([id, route, quantity, received, inTransit, status]).toEqual([
      sent!.transferId,
      `${lyon} → ${berlin}`,
      "3",
      "0",
      "3",
      "in_transit",
    ]);
    expect(created).not.toBe("");
    expect(await row(sent!.transferId).locator("input[name=quantity]").inputValue()).toBe("3");
  });

  it("receives part of a transfer with POST …/receive { quantity } and an Idempotency-Key; levels and list refresh", async () => {
    const { page } = session;
    const [sent] = (await transfersOf("in_transit")).data;
    await row(sent!.transferId).locator("input[name=quantity]").fill("1");
    const posted = page.waitForRequest((r) => r.url().endsWith(`/v1/transfers/${sent!.transferId}/receive`) && r.method() === "POST");
    await row(sent!.transferId).locator('[data-action="receive"]').click();
    const request = await posted;
    expect(request.postDataJSON()).toEqual({ quantity: 1 });
    expect(request.headers()["idempotency-key"]).toMatch(/^console-/);
    //                                             location onHand reserved available sold inTransit safetyStock
    await expect.poll(() => cells(berlin)).toEqual([berlin, "7", "0", "6", "0", "0", "1"]);
    await expect.poll(() => cells(lyon)).toEqual([lyon, "5", "0", "5", "0", "2", "0"]);
    await expect.poll(() => rowCells(sent!.transferId).then((c) => c.slice(2, 6))).toEqual(["3", "1", "2", "in_transit"]);
    expect(await row(sent!.transferId).locator("input[name=quantity]").inputValue()).toBe("2");
  });

  it("cancels a transfer after a confirm: what was in transit goes back to its source, the list drops it", async () => {
    const [sent] = (await transfersOf("in_transit")).data;
    await row(sent!.transferId).locator('[data-action="cancel-transfer"]').click();
    // Nothing is sent before the confirm.
    expect((await transfersOf("in_transit")).data).toHaveLength(1);
    await row(sent!.transferId).locator('[data-action="confirm-cancel-transfer"]').click();
    await expect.poll(() => cells(lyon)).toEqual([lyon, "7", "0", "7", "0", "0", "0"]);
    await expect.poll(() => row(sent!.transferId).count()).toBe(0);
    expect((await transfersOf("cancelled")).data.map((t) => t.transferId)).toEqual([sent!.transferId]);
    // The filter shows the other statuses.
    await session.page.locator(".sku-transfers select[name=status]").selectOption("cancelled");
    await expect.poll(() => rowCells(sent!.transferId).then((c) => c.slice(2, 6))).toEqual(["3", "1", "0", "cancelled"]);
    expect(await row(sent!.transferId).locator('[data-action="receive"]').count()).toBe(0);
  });

  it("shows the server's refusal of a receipt of more than is in transit, and nothing moves", async () => {
    const origin = session.app.origin;
    const created = await merchant(origin, "POST", "/v1/transfers", { sku, from: lyon, to: berlin, quantity: 2 });
    expect(created.status).toBe(201);
    const transferId = (created.body as { transferId: string }).transferId;
    await go(`#skus/${sku}`);
    await row(transferId).waitFor({ timeout: UI_TIMEOUT_MS });
    await row(transferId).locator("input[name=quantity]").fill("3");
    await row(transferId).locator('[data-action="receive"]').click();
    await expect.poll(text(".sku-transfers .banner")).toContain("(invalid_transfer_state)");
    expect((await merchant(origin, "GET", `/v1/transfers/${transferId}`)).body).toMatchObject({ received: 0, inTransit: 2 });
    await expect.poll(() => rowCells(transferId).then((c) => c.slice(2, 6))).toEqual(["2", "0", "2", "in_transit"]);
    expect(session.errors).toEqual([]);
  });
});
