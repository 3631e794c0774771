import { z } from "zod";

/** Cloudflare Turnstile's server-side check; tests fake only this call. */
export const SITEVERIFY_URL = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
const SITEVERIFY_TIMEOUT_MS = 3_000;

const Siteverify = z.object({ success: z.boolean() });

/** Whether Turnstile vouches for the token; an unreachable or odd answer counts as no. */
export async function verifyTurnstile(secret: string, token: string, remoteIp: string | undefined): Promise<boolean> {
  const form = new FormData();
  form.set("secret", secret);
  form.set("response", token);
  if (remoteIp) form.set("remoteip", remoteIp);
  try {
    const res = await fetch(SITEVERIFY_URL, { method: "POST", body: form, signal: AbortSignal.timeout(SITEVERIFY_TIMEOUT_MS) });
    const parsed = Siteverify.safeParse(await res.json());
    return res.ok && parsed.success && parsed.data.success;
  } catch {
    return false;
  }
}
