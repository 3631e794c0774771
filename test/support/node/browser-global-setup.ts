/**
 * The browser project's globalSetup: one `wrangler dev` and one Chromium for
 * every file of test/browser, instead of a boot of each per file (most of a
 * file's time). Files keep apart by unique SKU, sale, customer and location
 * ids; a file that needs other vars or a fresh state still boots its own
 * (test/support/node/shared-browser.ts).
 *
 * The server's CORS_ORIGINS lists one more origin, a page served here, so
 * cors.test.ts can call the API from another origin without a server of its own.
 */
import { createServer } from "node:http";
import type { TestProject } from "vitest/node";
import { launchChromiumServer } from "./chromium.ts";
import { startWranglerDev } from "./wrangler-dev.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pages = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end("<!doctype html><title>storefront</title><h1>storefront</h1>");
  });
  await new Promise<void>((resolve) => pages.listen(0, "127.0.0.1", resolve));
  const { port } = pages.address() as { port: number };
  const pageOrigin = `http://127.0.0.1:${port}`;
  const [app, chromium] = await Promise.allSettled([startWranglerDev({ CORS_ORIGINS: pageOrigin }), launchChromiumServer()]);
  const teardown = async () => {
    await Promise.all([
      chromium.status === "fulfilled" && chromium.value.close(),
      app.status === "fulfilled" && app.value.stop(),
      new Promise((r) => pages.close(r)),
    ]);
  };
  // One that failed to start must not leave the other running.
  if (app.status === "rejected" || chromium.status === "rejected") {
    await teardown();
    throw app.status === "rejected" ? app.reason : (chromium as PromiseRejectedResult).reason;
  }
  project.provide("browserApp", { origin: app.value.origin, chromium: chromium.value.wsEndpoint(), corsPagePort: port });
  return teardown;
}
