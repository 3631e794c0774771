import { Webhook } from "standardwebhooks";
import type { Notification } from "./messages";
import { logger } from "../platform/log";
import { currentTraceparent } from "../platform/trace";

/**
 * Delivery of one notification: to the merchant's webhook when one is configured,
 * signed per the Standard Webhooks specification (standardwebhooks.com) with its
 * published library, so merchants verify with a ready-made one in their language;
 * or to the log when none is (local development, or a merchant who reads
 * notifications from Workers Logs).
 */

export const DEFAULT_TIMEOUT_MS = 10_000;

export type NotificationEnv = Pick<Env, "MERCHANT_WEBHOOK_URL" | "MERCHANT_WEBHOOK_SECRET"> & Partial<Pick<Env, "LOG_LEVEL" | "DB">>;

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
  /** The active signing secrets (./signing-secrets.ts); MERCHANT_WEBHOOK_SECRET alone when not given. */
  secrets?: readonly string[];
}

/** The JSON body a webhook receives: the message with an ISO timestamp instead of epoch ms; its trace travels as a header. */
export function webhookPayload(n: Notification): Record<string, unknown> {
  const { atMs, traceparent: _trace, ...rest } = n;
  return { ...rest, createdAt: new Date(atMs).toISOString() };
}

export async function deliverNotification(n: Notification, env: NotificationEnv, opts: DeliveryOptions = {}): Promise<DeliveryResult> {
  const url = env.MERCHANT_WEBHOOK_URL?.trim();
  if (!url) {
    logger(env).info("notification", { notification: webhookPayload(n) });
    return { ok: true, via: "log" };
  }
  // Sending unsigned would teach merchants to skip verification; fail (and retry) until the secret is set.
  const signers = (opts.secrets ?? [env.MERCHANT_WEBHOOK_SECRET]).map(signerFor);
  if (signers.length === 0 || signers.some((s) => s === null)) {
    return {
      ok: false,
      reason: "misconfigured",
      detail: "MERCHANT_WEBHOOK_URL is set but MERCHANT_WEBHOOK_SECRET is not a Standard Webhooks secret (whsec_ followed by base64)",
    };
  }

  const body = JSON.stringify(webhookPayload(n));
  const t = opts.nowSeconds ?? Math.floor(Date.now() / 1000);
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "holdfast-notifications/1",
        // The notification's id is the message id: stable across redeliveries, so receivers dedupe on it.
        "webhook-id": n.id,
        "webhook-timestamp": String(t),
        // Standard Webhooks: one `v1,<signature>` per active secret, space-separated; a receiver accepts any it can verify.
        "webhook-signature": signers.map((s) => s!.sign(n.id, new Date(t * 1000), body)).join(" "),
        // The delivery is a span of the trace that raised the notification (W3C Trace Context).
        ...(currentTraceparent() ? { traceparent: currentTraceparent() } : {}),
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

/** The spec's signer for a `whsec_<base64>` secret; null when the secret is empty or not in that form. */
export function signerFor(secret: string | undefined): Webhook | null {
  if (!secret || !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)) return null;
  try {
    return new Webhook(secret);
  } catch {
    return null;
  }
}

/** `Retry-After` as seconds (delta or HTTP date); undefined when absent or unreadable. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
