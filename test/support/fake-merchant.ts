/**
 * A fake merchant webhook receiver, run in the Node process as Miniflare's
 * `outboundService` (vitest.config.ts): every outbound `fetch()` of the Worker under
 * test passes through here. Only the `merchant.test` host is answered; everything
 * else goes on to the real network, so other tests' fetches are untouched.
 *
 * - `POST https://merchant.test/<any path>` records the request, with whether its
 *   Standard Webhooks signature verifies (the `standardwebhooks` library a merchant
 *   would use, with the test secret), and answers 200,
 *   or the status in `/status/<code>/…` (e.g. `/status/500/x`); `/delay/<ms>/…`
 *   answers after that long (for client timeouts).
 * - `GET https://merchant.test/__received?path=<path>` returns the recorded
 *   requests to that exact path as JSON, so tests (in workerd) can inspect them.
 *
 * Typed against the standard fetch API only, so both tsconfigs (Node and worker)
 * accept it without pulling in Miniflare's types.
 */
import { Webhook } from "standardwebhooks";
import { TEST_SECRETS } from "./secrets.ts";

export const FAKE_MERCHANT_HOST = "merchant.test";

export interface ReceivedWebhook {
  path: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  /** The signature verified with TEST_SECRETS.MERCHANT_WEBHOOK_SECRET, the timestamp within five minutes. */
  verified: boolean;
}

// Shared by every test file (one Miniflare instance); tests use unique paths.
const received: ReceivedWebhook[] = [];

export async function fakeMerchantOutbound(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.hostname !== FAKE_MERCHANT_HOST) {
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    return fetch(request.url, {
      method: request.method,
      headers: headersObject(request.headers),
      body: hasBody ? await request.arrayBuffer() : null,
      redirect: "manual",
    });
  }
  if (request.method === "GET" && url.pathname === "/__received") {
    const path = url.searchParams.get("path");
    return Response.json(received.filter((r) => r.path === path));
  }
  const headers = headersObject(request.headers);
  const body = await request.text();
  received.push({ path: url.pathname, method: request.method, headers, body, verified: verifies(body, headers) });
  const delayMs = Number(/^\/delay\/(\d{1,5})(\/|$)/.exec(url.pathname)?.[1] ?? 0);
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  const status = Number(/^\/status\/(\d{3})(\/|$)/.exec(url.pathname)?.[1] ?? 200);
  return new Response(status < 300 ? "ok" : "merchant says no", { status });
}

function verifies(body: string, headers: Record<string, string>): boolean {
  try {
    new Webhook(TEST_SECRETS.MERCHANT_WEBHOOK_SECRET).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}

// forEach, not iteration: the Node tsconfig's "dom" lib types Headers without an iterator.
function headersObject(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = value;
  });
  return out;
}
