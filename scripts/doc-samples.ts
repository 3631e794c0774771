/**
 * `npm run docs:samples`: takes the JSON samples of README.md and docs/ from a real
 * run. It walks the API of a freshly started `npm run dev` (the walk-throughs of the
 * README and docs/api.md, shards, a waiting room) and rewrites every ```json block
 * annotated `<!-- sample: … from <step> -->` with the response of that step, so the
 * docs show what the API answers today rather than what someone typed.
 * test/node/doc-samples.test.ts then checks every sample against the schemas.
 *
 *   npm run dev -- --persist-to "$(mktemp -d)"     # a fresh state: the walk creates fixed names
 *   npm run docs:samples [-- --url http://localhost:8787]
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Api, type Reply } from "./dev/api.ts";
import { readDevSecrets } from "./dev/vars.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const urlFlag = process.argv.indexOf("--url");
const api = new Api(urlFlag > 0 ? (process.argv[urlFlag + 1] ?? "") : "http://localhost:8787");
const ADMIN = readDevSecrets(ROOT, undefined).ADMIN_TOKEN;
const token = (sub: string) =>
  execFileSync(process.execPath, [path.join(ROOT, "scripts", "token.ts"), sub], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
const SHOPPER = token("demo-shopper");
const BOB = token("bob");

const steps = new Map<string, unknown>();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One call of the walk; `name` is the step a docs sample may be taken `from`. */
async function step(
  name: string | null,
  method: string,
  route: string,
  who: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const reply = await api.call(method, route, { token: who ?? undefined, body, headers });
  if (reply.status >= 500) throw new Error(`${method} ${route} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  if (name) steps.set(name, reply.body);
  return reply;
}

/** Polls until `ready` holds (payments and admissions move from queues and alarms). */
async function until(route: string, who: string, ready: (body: { status?: string }) => boolean): Promise<void> {
  for (let i = 0; i < 40; i++) {
    if (ready((await api.call("GET", route, { token: who })).body)) return;
    await sleep(500);
  }
  throw new Error(`${route} did not settle`);
}

async function walk(): Promise<void> {
  if ((await api.call("GET", "/v1/skus/tee-black-m")).status !== 404) {
    throw new Error(`${api.origin} is not a fresh state: start npm run dev -- --persist-to "$(mktemp -d)"`);
  }
  // README: the seeded demo.
  await step("readme-sku", "GET", "/v1/skus/demo-tee", null);
  const readmeHold = await step(
    "readme-hold",
    "POST",
    "/v1/skus/demo-tee/holds",
    SHOPPER,
    { quantity: 1 },
    { "idempotency-key": "readme-hold-1" },
  );
  const readmeOrder = await step(
    "readme-checkout",
    "POST",
    "/v1/checkout",
    SHOPPER,
    { holdIds: [readmeHold.body.holdId], paymentMethod: "pm_card_visa" },
    { "idempotency-key": "readme-checkout-1" },
  );
  await until(`/v1/orders/${readmeOrder.body.orderId}`, SHOPPER, (o) => o.status !== "pending_payment");
  await step("readme-order", "GET", `/v1/orders/${readmeOrder.body.orderId}`, SHOPPER);

  // docs/api.md's walk-through.
  const now = Date.now();
  await step("put-sku", "PUT", "/v1/skus/tee-black-m", ADMIN, {
    name: "Black tee, M",
    price: { amount: 2500, currency: "usd" },
    alwaysOn: false,
  });
  await step(
    "adjust",
    "POST",
    "/v1/skus/tee-black-m/adjustments",
    ADMIN,
    { delta: 100, reason: "restock", reference: "PO-1001" },
    { "idempotency-key": "po-1001" },
  );
  const sale = {
    name: "Launch",
    startsAt: new Date(now).toISOString(),
    endsAt: new Date(now + 7 * 86400e3).toISOString(),
    items: [
      {
        sku: "tee-black-m",
        price: { amount: 1900, currency: "usd" },
        perCustomerLimit: 2,
        maxPerOrder: 2,
        holdSeconds: 300,
        holdsPerMinute: 5,
      },
    ],
  };
  await step("put-sale", "PUT", "/v1/sales/launch", ADMIN, sale);
  const hold = await step("hold", "POST", "/v1/skus/tee-black-m/holds", SHOPPER, { quantity: 2 }, { "idempotency-key": "cart-1" });
  await step("hold-limit", "POST", "/v1/skus/tee-black-m/holds", SHOPPER, { quantity: 1 });
  await step("sku-merchant", "GET", "/v1/skus/tee-black-m", ADMIN);
  await step("sku-public", "GET", "/v1/skus/tee-black-m", null);
  await step("release", "DELETE", `/v1/skus/tee-black-m/holds/${hold.body.holdId}`, SHOPPER);
  await sleep(1_200); // the public sale view is cached for a second
  await step("sale", "GET", "/v1/sales/launch", null);
  const hold2 = await step(null, "POST", "/v1/skus/tee-black-m/holds", SHOPPER, { quantity: 2 }, { "idempotency-key": "cart-2" });
  const order = await step(
    "checkout",
    "POST",
    "/v1/checkout",
    SHOPPER,
    { holdIds: [hold2.body.holdId], paymentMethod: "pm_card_visa" },
    { "idempotency-key": "checkout-1" },
  );
  const orderPath = `/v1/orders/${order.body.orderId}`;
  await until(orderPath, SHOPPER, (o) => o.status !== "pending_payment");
  await step("order-paid", "GET", orderPath, SHOPPER);
  const declined = await step(null, "POST", "/v1/checkout", SHOPPER, {
    items: [{ sku: "demo-mug", quantity: 1 }],
    paymentMethod: "pm_card_chargeDeclined",
  });
  const declinedPath = `/v1/orders/${declined.body.orderId}`;
  await until(declinedPath, SHOPPER, (o) => o.status !== "pending_payment");
  await step("order-declined", "GET", declinedPath, SHOPPER);
  await step(
    "pay-again",
    "POST",
    `${declinedPath}/pay`,
    SHOPPER,
    { paymentMethod: "pm_card_visa" },
    { "idempotency-key": `pay-${declined.body.orderId}` },
  );
  await step("fulfill", "POST", `${orderPath}/fulfill`, ADMIN);
  await until(declinedPath, SHOPPER, (o) => o.status === "paid");
  await sleep(2_500); // audit events and the inventory view ship from the objects' alarms
  await step("stats", "GET", "/v1/skus/tee-black-m/stats", ADMIN);
  await step("inventory", "GET", "/v1/skus?status=in_stock", ADMIN);
  await step("audit-order", "GET", `/v1/audit?stream=order:${order.body.orderId}`, ADMIN);
  await step("verify", "GET", "/v1/audit/verify", ADMIN);
  await step("insufficient", "POST", "/v1/skus/demo-mug/holds", SHOPPER, { quantity: 51 });
  await step("me-orders", "GET", "/v1/me/orders?limit=1", SHOPPER);
  await step("merchant-holds", "GET", "/v1/skus/tee-black-m/holds?limit=2", ADMIN);
  await step(
    "refund",
    "POST",
    `${declinedPath}/refund`,
    ADMIN,
    { restock: true },
    { "idempotency-key": `refund-${declined.body.orderId}` },
  );
  await step("report", "GET", "/v1/sales/launch/report", ADMIN);
  await step("health", "GET", "/healthz", null);
  await step("overlap", "PUT", "/v1/sales/launch-2", ADMIN, { ...sale, name: "Launch 2" });
  await step("bad-input", "PUT", "/v1/skus/Bad%20Sku", ADMIN, { name: "", price: { amount: -1, currency: "xyz" } });
  steps.set("live", await firstLiveMessage("tee-black-m"));

  // docs/stock-shards.md
  await step(null, "PUT", "/v1/skus/hot-sneaker", ADMIN, {
    name: "Hot sneaker",
    price: { amount: 12000, currency: "usd" },
    alwaysOn: true,
    shards: 4,
  });
  await step(
    null,
    "POST",
    "/v1/skus/hot-sneaker/adjustments",
    ADMIN,
    { delta: 400, reason: "received" },
    { "idempotency-key": "sneaker-1" },
  );
  await step(null, "POST", "/v1/skus/hot-sneaker/holds", BOB, { quantity: 1 }, { "idempotency-key": "bob-1" });
  await sleep(1_500);
  await step("stats-sharded", "GET", "/v1/skus/hot-sneaker/stats", ADMIN);

  // docs/waiting-room.md: a live FIFO sale, then a lottery whose seed is revealed by moving its clock.
  await step(null, "PUT", "/v1/skus/drop-cap", ADMIN, { name: "Drop cap", price: { amount: 3000, currency: "usd" } });
  await step(null, "POST", "/v1/skus/drop-cap/adjustments", ADMIN, { delta: 50, reason: "received" }, { "idempotency-key": "cap-1" });
  const fifo = {
    name: "Cap drop",
    startsAt: new Date(now - 60e3).toISOString(),
    endsAt: new Date(now + 3600e3).toISOString(),
    queue: { mode: "fifo" },
    items: [{ sku: "drop-cap", price: { amount: 2000, currency: "usd" }, perCustomerLimit: 1 }],
  };
  await step(null, "PUT", "/v1/sales/cap-drop", ADMIN, fifo);
  await step("fifo-sale", "GET", "/v1/sales/cap-drop", null);
  await step("admission-required", "POST", "/v1/skus/drop-cap/holds", BOB, { quantity: 1 });
  const join = await step("join", "POST", "/v1/sales/cap-drop/queue", BOB, {});
  const ticketPath = `/v1/sales/cap-drop/queue/${join.body.ticket}`;
  await until(ticketPath, BOB, (t) => t.status === "admitted");
  await step("admitted", "GET", ticketPath, BOB);
  await step(null, "PUT", "/v1/skus/drop-hoodie", ADMIN, { name: "Drop hoodie", price: { amount: 6000, currency: "usd" } });
  await step(
    null,
    "POST",
    "/v1/skus/drop-hoodie/adjustments",
    ADMIN,
    { delta: 300, reason: "received" },
    { "idempotency-key": "hoodie-1" },
  );
  const lottery = {
    name: "Drop",
    startsAt: new Date(now + 3600e3).toISOString(),
    endsAt: new Date(now + 2 * 3600e3).toISOString(),
    queue: { mode: "lottery", prequeueSeconds: 7200 },
    items: [{ sku: "drop-hoodie", price: { amount: 4500, currency: "usd" }, perCustomerLimit: 1 }],
  };
  steps.set("lottery-sale-body", lottery);
  await step(null, "PUT", "/v1/sales/drop", ADMIN, lottery);
  await step(null, "POST", "/v1/sales/drop/queue", BOB, {});
  await step(null, "POST", "/v1/dev/sales/drop/clock", ADMIN, { offsetSeconds: 3600 });
  await step("draw", "GET", "/v1/sales/drop/queue/draw", null);
}

function firstLiveMessage(sku: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${api.origin.replace(/^http/, "ws")}/v1/skus/${sku}/live`);
    ws.onmessage = (e) => {
      ws.close();
      resolve(JSON.parse(String(e.data)));
    };
    ws.onerror = () => reject(new Error("the live socket failed"));
  });
}

/** JSON as the docs show it: a value on one line when it fits in 100 columns, else one member a line. */
function format(value: unknown, level = 0, column = 0): string {
  const flat = inline(value);
  if (column + flat.length <= 100 || value === null || typeof value !== "object" || Object.keys(value).length === 0) return flat;
  const pad = "  ".repeat(level + 1);
  const lines = Array.isArray(value)
    ? value.map((v) => `${pad}${format(v, level + 1, pad.length)}`)
    : Object.entries(value).map(([k, v]) => `${pad}${JSON.stringify(k)}: ${format(v, level + 1, pad.length + k.length + 4)}`);
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${lines.join(",\n")}\n${"  ".repeat(level)}${close}`;
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const members = Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${inline(v)}`);
    return members.length ? `{ ${members.join(", ")} }` : "{}";
  }
  return JSON.stringify(value);
}

function rewrite(page: string): number {
  const file = path.join(ROOT, page);
  let count = 0;
  const text = readFileSync(file, "utf8").replace(
    /(<!--\s*sample:[^>]*?\bfrom ([\w-]+)\s*-->\n```json\n)[\s\S]*?(\n```)/g,
    (_all, head: string, name: string, tail: string) => {
      if (!steps.has(name)) throw new Error(`${page}: no step "${name}" in the walk`);
      count++;
      return `${head}${format(steps.get(name))}${tail}`;
    },
  );
  writeFileSync(file, text);
  return count;
}

await walk();
const pages = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs")).flatMap((f) => (f.endsWith(".md") && f !== "spec.md" ? [`docs/${f}`] : [])),
];
for (const page of pages) {
  const n = rewrite(page);
  if (n) console.log(`${page}: ${n} sample${n === 1 ? "" : "s"}`);
}
