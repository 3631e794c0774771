/**
 * `npm run screenshots`: regenerates the pictures (README.md, docs/live-and-console.md) of the merchant
 * console against a fresh `wrangler dev` with a small sale played through the
 * API while the board watches:
 *
 *   docs/screenshots/console-sale-board.png        the live sale board (laptop)
 *   docs/screenshots/console-sale-board-phone.png  the same at 390 px wide
 *   docs/screenshots/console-audit.png             the audit view, newest first (laptop)
 *   docs/screenshots/console-audit-phone.png       the same at 390 px wide
 *   docs/screenshots/console-report.png            the post-sale report (laptop)
 *   docs/screenshots/console-locations.png         the Locations page (laptop)
 *   docs/screenshots/console-sku-locations.png     a SKU's levels per location (laptop)
 *
 * `npm run screenshots -- locations` makes the last two alone (scripts/screenshots-locations.ts).
 * and the report at 390 px wide under test/browser/.screenshots/ (gitignored).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { TEST_SECRETS } from "../test/support/secrets.ts";
import { launchChromium } from "../test/support/node/chromium.ts";
import { featuresOf, hold, merchant, paidOrder } from "../test/support/node/console-api.ts";
import { startWranglerDev } from "../test/support/node/wrangler-dev.ts";
import { locationPictures } from "./screenshots-locations.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const DOCS = path.join(ROOT, "docs", "screenshots");
const PHONE = path.join(ROOT, "test", "browser", ".screenshots");
/** Rounds of shopper holds played while the board watches, one every ROUND_MS. */
const ROUNDS = 14;
const ROUND_MS = 1_500;

const SKUS = [
  { sku: "tee-black-m", name: "Black tee, M", stock: 60, limit: 4 },
  { sku: "cap-navy", name: "Navy cap", stock: 30, limit: 2 },
];
const SALE = "launch-day";

const app = await startWranglerDev({});
const browser = await launchChromium();
try {
  await locationPictures(app.origin, browser, DOCS);
  if (!process.argv.includes("locations")) await salePictures();
} finally {
  await browser.close();
  await app.stop();
}

/** The sale board, the audit view and the report, from a small sale played through the API. */
async function salePictures() {
  const features = await featuresOf(app.origin);
  for (const s of SKUS) {
    await merchant(app.origin, "PUT", `/v1/skus/${s.sku}`, { name: s.name, price: { amount: 3000, currency: "usd" } });
    await merchant(app.origin, "POST", `/v1/skus/${s.sku}/adjustments`, { delta: s.stock, reason: "received", reference: "PO-1001" });
  }
  const now = Date.now();
  await merchant(app.origin, "PUT", `/v1/sales/${SALE}`, {
    name: "Launch day",
    startsAt: new Date(now - 60_000).toISOString(),
    endsAt: new Date(now + 3_600_000).toISOString(),
    items: SKUS.map((s) => ({ sku: s.sku, price: { amount: 2000, currency: "usd" }, perCustomerLimit: s.limit })),
  });

  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${app.origin}/console/`);
  await page.fill("#login input[name=token]", TEST_SECRETS.ADMIN_TOKEN);
  await page.click("#login button[type=submit]");
  await page.waitForSelector("#nav", { state: "visible" });
  await page.evaluate((id) => (location.hash = `#board/${id}`), SALE);
  await page.waitForSelector(".item-card");

  // A crowd that grows, then thins: holds per minute rise and fall while the level drops; some ask for too much.
  let n = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const crowd = Math.max(1, Math.round(5 * Math.sin((Math.PI * (round + 1)) / (ROUNDS + 1))));
    for (let i = 0; i < crowd; i++) {
      const s = SKUS[(n + i) % SKUS.length]!;
      await hold(app.origin, `shopper-${n++}`, s.sku, 1 + (n % 2));
      if (n % 7 === 0) await hold(app.origin, `shopper-${n - 1}`, s.sku, s.limit);
    }
    await new Promise((r) => setTimeout(r, ROUND_MS));
  }
  // One order paid and refunded with restock, as the merchant would from the orders panel.
  const held = await hold(app.origin, "shopper-refund", SKUS[0]!.sku, 1);
  const orderId = await paidOrder(app.origin, "shopper-refund", held.body.holdId as string);
  await merchant(app.origin, "POST", `/v1/orders/${orderId}/refund`, { restock: true });
  await new Promise((r) => setTimeout(r, 2_500));

  mkdirSync(DOCS, { recursive: true });
  mkdirSync(PHONE, { recursive: true });
  await page.screenshot({ path: path.join(DOCS, "console-sale-board.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(DOCS, "console-sale-board-phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 860 });

  await page.evaluate((s) => (location.hash = `#audit/sku:${s}`), SKUS[0]!.sku);
  await page.waitForSelector("[data-panel=audit] tr[data-seq]");
  await page.screenshot({ path: path.join(DOCS, "console-audit.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(DOCS, "console-audit-phone.png") });
  await page.setViewportSize({ width: 1280, height: 860 });

  await page.evaluate((id) => (location.hash = `#report/${id}`), SALE);
  await page.waitForSelector(features.report ? "[data-panel=report] svg.chart" : ".unavailable");
  await page.screenshot({ path: path.join(DOCS, "console-report.png"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(PHONE, "phone-report.png"), fullPage: true });
  console.log(
    `[screenshots] ${path.relative(ROOT, DOCS)}/console-{sale-board,sale-board-phone,audit,audit-phone,report}.png; the report on a phone in ${path.relative(ROOT, PHONE)}/`,
  );
  if (!features.report)
    console.warn("[screenshots] this server has no GET /v1/sales/{saleId}/report: the report picture shows 'not available'");
}
