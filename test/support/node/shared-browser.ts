/**
 * The app server and Chromium a browser test file works against: the run's
 * shared ones (test/support/node/browser-global-setup.ts) or, for a file that
 * needs other vars (or runs outside the browser project), its own.
 */
/// <reference path="../provided-context.d.ts" />
import type { Browser } from "playwright-core";
import { inject, type ProvidedContext } from "vitest";
import { connectChromium, launchChromium } from "./chromium.ts";
import { startWranglerDev, type DevServer } from "./wrangler-dev.ts";

/** What the browser project's globalSetup provides. */
export type SharedBrowserApp = ProvidedContext["browserApp"];

export function sharedBrowserApp(): SharedBrowserApp | undefined {
  return inject("browserApp");
}

/**
 * `wrangler dev` and Chromium for one file: shared when `vars` is empty and the
 * run provides them (stop() and close() then leave them up for the other files),
 * else booted for this file alone.
 */
export async function bootBrowser(vars: Record<string, string> = {}): Promise<{ app: DevServer; browser: Browser }> {
  const shared = Object.keys(vars).length === 0 ? sharedBrowserApp() : undefined;
  if (shared) return { app: { origin: shared.origin, stop: async () => {} }, browser: await connectChromium(shared.chromium) };
  const [app, browser] = await Promise.all([startWranglerDev(vars), launchChromium()]);
  return { app, browser };
}
