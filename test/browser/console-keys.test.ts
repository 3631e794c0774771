/**
 * The console with API keys (spec §12) in a real browser against `wrangler dev`:
 * an owner creates a key (its secret shown once, with a copy button), a viewer
 * signs in with it and sees only what its role may do and why, the owner
 * revokes it, and the revoked key is refused at sign-in. The audit view names
 * each event's actor. On a failure the page is saved under test/browser/.screenshots/.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TEST_SECRETS } from "../support/secrets.ts";
import { merchant } from "../support/node/console-api.ts";
import { bootBrowser } from "../support/node/shared-browser.ts";
import type { DevServer } from "../support/node/wrangler-dev.ts";

const SHOTS = path.join(import.meta.dirname, ".screenshots");
const UI_TIMEOUT_MS = 10_000;
const run = crypto.randomUUID().slice(0, 6);

let app: DevServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let viewer: { keyId: string; secret: string };
const errors: string[] = [];

beforeAll(async () => {
  ({ app, browser } = await bootBrowser());
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.origin });
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => void d.accept());
}, 180_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== "fail" || !page) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${ctx.task.name.replace(/[^a-z0-9]+/gi, "-")}.png`), fullPage: true });
});

afterAll(async () => {
  await Promise.all([browser?.close(), app?.stop()]);
});

const text = (selector: string) => () => page.locator(selector).first().textContent({ timeout: UI_TIMEOUT_MS });
const go = (hash: string) =>
  page.evaluate((h) => {
    if (location.hash === h) window.dispatchEvent(new HashChangeEvent("hashchange"));
    else location.hash = h;
  }, hash);

async function signIn(secret: string) {
  if (await page.isVisible("#sign-out")) await page.click("#sign-out");
  await page.goto(`${app.origin}/console`);
  await page.fill("#login input[name=token]", secret);
  await page.click("#login button[type=submit]");
}

describe("the console with API keys", () => {
  it("lets an owner create a key, shows its secret once with a copy button, and lists it without it", async () => {
    await signIn(TEST_SECRETS.ADMIN_TOKEN);
    await page.waitForSelector("#nav", { state: "visible" });
    await expect.poll(text("#whoami")).toBe("root · owner");
    await page.click('#nav a[data-tab="keys"]');
    const form = page.locator('[data-panel="keys"] form');
    await form.locator("input[name=name]").fill(`viewer ${run}`);
    await form.locator("select[name=role]").selectOption("viewer");
    await form.locator("button[type=submit]").click();

    await page.waitForSelector(".secret-once .secret");
    const secret = (await text(".secret-once .secret")())!;
    expect(secret).toMatch(/^hf_/);
    await page.click('[data-action="copy-secret"]');
    await expect.poll(text(".secret-once .hint")).toBe("Copied.");
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    const listed = await merchant(app.origin, "GET", "/v1/api-keys");
    const keys = (listed.body as { data: Array<{ name: string; keyId: string }> }).data;
    const key = keys.find((k) => k.name === `viewer ${run}`)!;
    viewer = { keyId: key.keyId, secret };
    await page.waitForSelector(`tr[data-key-id="${key.keyId}"]`);
    const table = (await text('[data-panel="keys"] table')())!;
    expect(table).toContain(key.keyId);
    expect(table).not.toContain(secret);
    // Once dismissed, the secret is gone from the page for good.
    await page.click(".secret-once button.secondary");
    expect(await page.content()).not.toContain(secret);
  });

  it("signs a viewer in with its key, leaves out what the role may not do, and says why", async () => {
    await signIn(viewer.secret);
    await page.waitForSelector("#nav", { state: "visible" });
    await expect.poll(text("#whoami")).toBe(`${viewer.keyId} · viewer`);
    expect(await page.isVisible('#nav a[data-tab="keys"]')).toBe(false);
    expect(await text("#role-note")()).toContain("viewer key reads without customer personal data");
    await go("#keys");
    await expect.poll(text('[data-absent="keys"]')).toBe("Managing API keys needs an owner key; this is a viewer key.");
    expect(errors).toEqual([]);
  });

  it("shows each audit event's actor", async () => {
    await signIn(TEST_SECRETS.ADMIN_TOKEN);
    await page.waitForSelector("#nav", { state: "visible" });
    const sku = `keys-tee-${run}`;
    expect((await merchant(app.origin, "PUT", `/v1/skus/${sku}`, { name: "Tee", price: { amount: 900, currency: "usd" } })).status).toBe(
      201,
    );
    await go(`#audit/sku:${sku}`);
    // The SKU's events reach the log from its object's alarm, about a second later.
    await expect
      .poll(
        async () => {
          await page.click('[data-panel="audit"] form button[type=submit]');
          return page
            .locator('[data-panel="audit"] td.actor')
            .first()
            .textContent({ timeout: 1_000 })
            .catch(() => null);
        },
        { timeout: 15_000 },
      )
      .toBe("root (owner)");
    expect(await text('[data-panel="audit"] thead')()).toContain("Actor");
  });

  it("revokes the key from the keys page, and the console then refuses it", async () => {
    await go("#keys");
    await page.click(`tr[data-key-id="${viewer.keyId}"] [data-action="revoke"]`);
    await expect.poll(text(`tr[data-key-id="${viewer.keyId}"]`)).toContain("revoked");
    await signIn(viewer.secret);
    await expect.poll(text("#login .form-banner")).toContain("This API key was revoked.");
    expect(await page.isVisible("#nav")).toBe(false);
  });
});
