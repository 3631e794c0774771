/**
 * A fake of Cloudflare Turnstile's siteverify, in the chain of Miniflare's
 * `outboundService` (vitest.config.ts): only that URL is answered here; every
 * other request goes on to `next`. The token `pass` verifies, any other fails.
 */
export const TURNSTILE_PASS_TOKEN = "pass";
const SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";

export async function fakeTurnstileOutbound(request: Request, next: (request: Request) => Promise<Response>): Promise<Response> {
  if (request.url !== SITEVERIFY) return next(request);
  const form = await request.formData();
  const success = request.method === "POST" && Boolean(form.get("secret")) && form.get("response") === TURNSTILE_PASS_TOKEN;
  return Response.json(success ? { success: true } : { success: false, "error-codes": ["invalid-input-response"] });
}
