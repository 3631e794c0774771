import type { Notification } from "./messages";

/**
 * Delivery of one notification: to the merchant's webhook when one is configured,
 * signed the way Stripe signs its webhooks, or to the log when none is (local
 * development, or a merchant who reads notifications from Workers Logs).
 */

export const SIGNATURE_HEADER = "Holdfast-Signature";
/** Lets the receiver drop the duplicates that at-least-once queues deliver. */
export const EVENT_ID_HEADER = "Holdfast-Event-Id";
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Stripe's default: a signature older (or newer) than five minutes is refused, against replays. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export type NotificationEnv = Pick<Env, "MERCHANT_WEBHOOK_URL" | "MERCHANT_WEBHOOK_SECRET">;

export type DeliveryResult =
  | { ok: true; via: "log" }
  | { ok: true; via: "webhook"; status: number }
  | {
      ok: false;
      /** `rejected`: a 4xx other than 408/429, which retrying will not fix unless the merchant changes their endpoint. */
      reason: "server_error" | "rejected" | "redirect" | "timeout" | "network" | "misconfigured";
      status?: number;
      /** From a 429/503 `Retry-After`, so the consumer never retries sooner than asked. */
      retryAfterSeconds?: number;
      detail: string;
    };

export interface DeliveryOptions {
  timeoutMs?: number;
  /** Unix seconds for the signature; tests pin it. */
  nowSeconds?: number;
}

/** The JSON body a webhook receives: the message with an ISO timestamp instead of epoch ms. */
export function webhookPayload(n: Notification): Record<string, unknown> {
  const { atMs, ...rest } = n;
  return { ...rest, createdAt: new Date(atMs).toISOString() };
}

export async function deliverNotification(
  n: Notification,
  env: NotificationEnv,
  opts: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const url = env.MERCHANT_WEBHOOK_URL?.trim();
  if (!url) {
    console.log(JSON.stringify({ level: "info", event: "notification", notification: webhookPayload(n) }));
    return { ok: true, via: "log" };
  }
  // Sending unsigned would teach merchants to skip verification; fail (and retry) until the secret is set.
  if (!env.MERCHANT_WEBHOOK_SECRET) {
    return { ok: false, reason: "misconfigured", detail: "MERCHANT_WEBHOOK_URL is set but MERCHANT_WEBHOOK_SECRET is empty" };
  }

  const body = JSON.stringify(webhookPayload(n));
  const t = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  const signature = await hmacHex(env.MERCHANT_WEBHOOK_SECRET, `${t}.${body}`);
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "holdfast-notifications/1",
        [SIGNATURE_HEADER]: `t=${t},v1=${signature}`,
        [EVENT_ID_HEADER]: n.id,
      },
      body,
      // A redirect would re-send the signed body somewhere the merchant did not configure.
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError");
    return { ok: false, reason: timedOut ? "timeout" : "network", detail: String(err) };
  }

  // Read a little of the body for the log, and so the connection is released.
  const snippet = await res.text().then(
    (text) => text.slice(0, 300),
    () => "",
  );
  if (res.status >= 200 && res.status < 300) return { ok: true, via: "webhook", status: res.status };

  const retryAfterSeconds = parseRetryAfter(res.headers.get("retry-after"));
  const reason =
    res.status >= 300 && res.status < 400
      ? "redirect"
      : res.status === 408 || res.status === 429 || res.status >= 500
        ? "server_error"
        : "rejected";
  return {
    ok: false,
    reason,
    status: res.status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    detail: snippet,
  };
}

/**
 * Checks a `Holdfast-Signature` header (`t=<unix seconds>,v1=<hex>`; several `v1`
 * entries are allowed, as during a secret rotation). For merchants' receivers and
 * for tests. `rawBody` must be the exact bytes received, before any JSON parsing.
 */
export async function verifyWebhookSignature(
  rawBody: string,
  header: string | null | undefined,
  secret: string,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<boolean> {
  if (!header || !secret) return false;
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) t = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) candidates.push(value.toLowerCase());
  }
  if (t === undefined || candidates.length === 0) return false;
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;

  const expected = new TextEncoder().encode(await hmacHex(secret, `${t}.${rawBody}`));
  let match = false;
  // Compare against every candidate without an early exit, so timing says nothing about which matched.
  for (const candidate of candidates) {
    const given = new TextEncoder().encode(candidate);
    if (given.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(given, expected)) match = true;
  }
  return match;
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(message)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `Retry-After` as seconds (delta or HTTP date); undefined when absent or unreadable. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
