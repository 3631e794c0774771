/**
 * The locations pictures of `npm run screenshots` (spec §11), from a small
 * network made through the API: three locations (one paused), a SKU stocked
 * in two of them with a safety stock, a shopper's hold and, on a server with
 * transfers, units in transit between them (a transfer received in part).
 *
 *   docs/screenshots/console-locations.png      the Locations page (laptop)
 *   docs/screenshots/console-sku-locations.png  a SKU's page with its levels per location (laptop)
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { TEST_SECRETS } from "../test/support/secrets.ts";
import { api, merchant, shopperToken } from "../test/support/node/console-api.ts";

const LOCATIONS = {
  "wh-berlin": { name: "Berlin warehouse", country: "DE", latitude: 52.52, longitude: 13.405, priority: 10 },
  "store-paris": { name: "Paris store", country: "FR", latitude: 48.8566, longitude: 2.3522, pickup: true },
  "wh-madrid": { name: "Madrid warehouse", country: "ES", latitude: 40.4168, longitude: -3.7038, status: "paused" },
};
const SKU = "hoodie-grey-l";

async function must(answer: Promise<{ status: number; body: unknown }>, what: string) {
  const a = await answer;
  if (a.status >= 300) throw new Error(`${what} answered ${a.status}: ${JSON.stringify(a.body)}`);
  return a;
}

export async function locationPictures(origin: string, browser: Browser, dir: string): Promise<void> {
  for (const [id, body] of Object.entries(LOCATIONS))
    await must(merchant(origin, "PUT", `/v1/locations/${id}`, body), `PUT location ${id}`);
  await must(
    merchant(origin, "PUT", `/v1/skus/${SKU}`, { name: "Grey hoodie, L", price: { amount: 5900, currency: "eur" }, alwaysOn: true }),
    "PUT sku",
  );
  const stocked = { "wh-berlin": { units: 40, safetyStock: 0 }, "store-paris": { units: 12, safetyStock: 2 } };
  for (const [id, { units, safetyStock }] of Object.entries(stocked)) {
    await must(merchant(origin, "PUT", `/v1/skus/${SKU}/locations/${id}`, { safetyStock }), `stock ${id}`);
    const adjustment = { delta: units, reason: "received", reference: "PO-2041", location: id };
    await must(merchant(origin, "POST", `/v1/skus/${SKU}/adjustments`, adjustment), `receive at ${id}`);
  }
  const shopper = await shopperToken("screenshot-shopper");
  // No destination: routed by the request's own geography (none under wrangler dev), so by priority: Berlin.
  await api(origin, "POST", `/v1/skus/${SKU}/holds`, shopper, { quantity: 3 });
  // A server without transfers shows no transfer (and no form); the rest of the picture is the same.
  const sent = await merchant(origin, "POST", "/v1/transfers", {
    sku: SKU,
    from: "wh-berlin",
    to: "store-paris",
    quantity: 6,
    reference: "TR-7",
  });
  // Part of it arrived: the list shows a transfer received in part, with its receipt control.
  const transferId = sent.status === 201 ? (sent.body.transferId as string) : null;
  if (transferId) await must(merchant(origin, "POST", `/v1/transfers/${transferId}/receive`, { quantity: 2 }), "receive part");

  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${origin}/console/`);
  await page.fill("#login input[name=token]", TEST_SECRETS.ADMIN_TOKEN);
  await page.click("#login button[type=submit]");
  await page.waitForSelector("#nav", { state: "visible" });
  mkdirSync(dir, { recursive: true });

  await page.evaluate(() => (location.hash = "#locations"));
  await page.waitForSelector('[data-panel="locations"] tr[data-location="wh-berlin"]');
  await page.screenshot({ path: path.join(dir, "console-locations.png"), fullPage: true });

  await page.evaluate((sku) => (location.hash = `#skus/${sku}`), SKU);
  await page.waitForSelector('.sku-locations tr[data-location="store-paris"]');
  if (transferId) await page.waitForSelector(`.sku-transfers tr[data-transfer="${transferId}"]`);
  await page.screenshot({ path: path.join(dir, "console-sku-locations.png"), fullPage: true });
  await context.close();
  console.log(`[screenshots] ${path.relative(process.cwd(), dir)}/console-{locations,sku-locations}.png`);
}
