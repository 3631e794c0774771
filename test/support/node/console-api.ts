/**
 * What the browser tests do through the API rather than the console: shoppers
 * holding and paying (the console is the merchant's), and reading the
 * server's OpenAPI document to know which of the console's optional routes exist.
 */
import { sign } from "hono/jwt";
import { TEST_SECRETS } from "../secrets.ts";

export interface ConsoleFeatures {
  listSales: boolean;
  endSale: boolean;
  report: boolean;
  listHolds: boolean;
  voidHold: boolean;
  live: boolean;
}

export async function featuresOf(origin: string): Promise<ConsoleFeatures> {
  const doc = (await (await fetch(`${origin}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const has = (path: string, method: string) => Boolean(doc.paths[path]?.[method]);
  return {
    listSales: has("/v1/sales", "get"),
    endSale: has("/v1/sales/{saleId}/end", "post"),
    report: has("/v1/sales/{saleId}/report", "get"),
    listHolds: has("/v1/skus/{sku}/holds", "get"),
    voidHold: has("/v1/skus/{sku}/holds/{holdId}/void", "post"),
    live: has("/v1/skus/{sku}/live", "get"),
  };
}

export function shopperToken(customerId: string): Promise<string> {
  return sign({ sub: customerId, exp: Math.floor(Date.now() / 1000) + 600 }, TEST_SECRETS.SHOPPER_JWT_SECRET, "HS256");
}

export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

export async function api(origin: string, method: string, path: string, bearer: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export const merchant = (origin: string, method: string, path: string, body?: unknown) =>
  api(origin, method, path, TEST_SECRETS.ADMIN_TOKEN, body);

/** A shopper holds `quantity` units → the hold's id (or the refusal). */
export async function hold(origin: string, customerId: string, sku: string, quantity: number): Promise<Answer> {
  return api(origin, "POST", `/v1/skus/${sku}/holds`, await shopperToken(customerId), { quantity });
}

const PAID_POLL_MS = 200;
const PAID_TIMEOUT_MS = 15_000;

/** A shopper checks out one hold with the simulated provider's good card and waits until the order is paid. */
export async function paidOrder(origin: string, customerId: string, holdId: string): Promise<string> {
  const order = await api(origin, "POST", "/v1/checkout", await shopperToken(customerId), {
    holdIds: [holdId],
    paymentMethod: "pm_card_visa",
  });
  if (order.status !== 202) throw new Error(`checkout answered ${order.status}: ${JSON.stringify(order.body)}`);
  const orderId = order.body.orderId as string;
  const deadline = Date.now() + PAID_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const now = await merchant(origin, "GET", `/v1/orders/${orderId}`);
    if (now.body.status === "paid") return orderId;
    await new Promise((r) => setTimeout(r, PAID_POLL_MS));
  }
  throw new Error(`order ${orderId} was not paid within ${PAID_TIMEOUT_MS} ms`);
}
