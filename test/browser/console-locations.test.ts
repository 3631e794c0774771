/**
 * The console's locations (spec §11) in a real browser against `wrangler dev`:
 * the Locations page lists the registry, adds a location, shows the server's
 * field errors beside the inputs, and edits one (pausing it); a located SKU's
 * page shows each location's levels and sends a transfer. On a failure the
 * page is saved under test/browser/.screenshots/ (gitignored).
 */
import { describe, expect, it } from "vitest";
import { merchant } from "../support/node/console-api.ts";
import { consoleSession, go as goTo, textOf } from "../support/node/console-page.ts";

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
