/**
 * One browser session for a browser test file: the server and headless
 * Chromium (the run's shared ones, or the file's own when it sets `vars`:
 * test/support/node/shared-browser.ts), a page signed in to the console (or not), the
 * panel navigation the console's tests share, and a screenshot of the page
 * when a test fails (under test/browser/.screenshots/, gitignored).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { TEST_SECRETS } from "../secrets.ts";
import { bootBrowser } from "./shared-browser.ts";
import type { DevServer } from "./wrangler-dev.ts";

export const UI_TIMEOUT_MS = 10_000;
const SHOTS = path.resolve(import.meta.dirname, "..", "..", "browser", ".screenshots");
/** Booting wrangler dev and Chromium (a file with its own vars) takes most of a minute, longer on a machine shared with other work. */
const BOOT_TIMEOUT_MS = 180_000;

export interface ConsoleSession {
  app: DevServer;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Uncaught errors of the page, for a test to assert none happened. */
  errors: string[];
}

/**
 * Registers the file's beforeAll/afterEach/afterAll and returns the session,
 * filled once beforeAll ran. `vars` (extra server vars) boots a server of the file's own. `signIn` signs the page in to the console with the merchant token.
 */
export function consoleSession(opts: { vars?: Record<string, string>; signIn?: boolean } = {}): ConsoleSession {
  const session = { errors: [] as string[] } as ConsoleSession;
  beforeAll(async () => {
    ({ app: session.app, browser: session.browser } = await bootBrowser(opts.vars));
    session.context = await session.browser.newContext({ viewport: { width: 1280, height: 900 } });
    session.page = await session.context.newPage();
    session.page.on("pageerror", (e) => session.errors.push(String(e)));
    if (opts.signIn) await signIn(session.page, session.app.origin);
  }, BOOT_TIMEOUT_MS);
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail" || !session.page) return;
    mkdirSync(SHOTS, { recursive: true });
    await session.page.screenshot({ path: path.join(SHOTS, `${ctx.task.name.replace(/[^a-z0-9]+/gi, "-")}.png`), fullPage: true });
  });
  afterAll(async () => {
    await Promise.all([session.browser?.close(), session.app?.stop()]);
  });
  return session;
}

export async function signIn(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/console`);
  await page.fill("#login input[name=token]", TEST_SECRETS.ADMIN_TOKEN);
  await page.click("#login button[type=submit]");
  await page.waitForSelector("#nav", { state: "visible" });
}

/** The text of the first element matching `selector`, as a function for expect.poll. */
export const textOf = (page: Page, selector: string) => () => page.locator(selector).first().textContent({ timeout: UI_TIMEOUT_MS });

/** Opens a panel afresh, as following a link to it does (the same hash again re-renders it). */
export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    if (location.hash === h) window.dispatchEvent(new HashChangeEvent("hashchange"));
    else location.hash = h;
  }, hash);
}
