import { z } from "zod";
import { CUSTOMER_ID } from "../domain/ids";
import { fromBase64url, toBase64url } from "../platform/base64url";
import { hmacSign, hmacVerify } from "../platform/hmac";

/**
 * Waiting-room tickets and admission tokens (spec §9): `<payload>.<mac>`, both
 * base64url, the payload compact JSON and the MAC an HMAC-SHA256 (truncated to
 * 128 bits) over the purpose and the payload. The purpose is inside the MAC, so
 * a ticket never passes for an admission. Verified at the edge with WebCrypto
 * alone: no object is asked.
 */
const MAC_BYTES = 16;
const TOKEN_MAX_CHARS = 1024;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,900}\.[A-Za-z0-9_-]{22}$/;

const TicketClaims = z.strictObject({
  s: z.string().min(1).max(64),
  c: CUSTOMER_ID,
  /** When the customer first joined, as their join shard recorded it: their place in arrival order. */
  a: z.number().int().nonnegative(),
  /** Present when the join shard recorded the customer in the lottery's draw. */
  d: z.literal(1).optional(),
  /** A lottery join: its index in its join shard's log (./entrant-log.ts), from which the edge finds the drawn place. */
  i: z.number().int().nonnegative().optional(),
  /** The SKU whose line the customer is in. */
  k: z.string().min(1).max(128),
  e: z.number().int().nonnegative(),
});
const AdmissionClaims = z.strictObject({
  s: z.string().min(1).max(64),
  c: CUSTOMER_ID,
  /** When the frontier reached the customer; the admission counts from here. */
  t: z.number().int().nonnegative(),
  /** The SKU it admits to: the one whose line the customer was in. */
  k: z.string().min(1).max(128),
  e: z.number().int().nonnegative(),
});

export type TicketClaims = z.infer<typeof TicketClaims>;
export type AdmissionClaims = z.infer<typeof AdmissionClaims>;

type Purpose = "ticket" | "admission";
export type TokenRefusal = "malformed" | "forged" | "expired" | "other_sale" | "other_customer";
export type Verified<T> = { ok: true; claims: T } | { ok: false; reason: TokenRefusal };

async function sign(secret: string, purpose: Purpose, claims: object): Promise<string> {
  const payload = toBase64url(new TextEncoder().encode(JSON.stringify(claims)));
  const mac = await hmacSign(secret, `${purpose}.${payload}`);
  return `${payload}.${toBase64url(mac.subarray(0, MAC_BYTES))}`;
}

async function verify<T extends { s: string; c: string; e: number }>(
  secret: string,
  purpose: Purpose,
  schema: z.ZodType<T>,
  token: string,
  expect: { saleId: string; customerId: string; now_ms: number },
): Promise<Verified<T>> {
  if (token.length > TOKEN_MAX_CHARS || !TOKEN_PATTERN.test(token)) return { ok: false, reason: "malformed" };
  const [payload, mac] = token.split(".") as [string, string];
  const given = fromBase64url(mac);
  if (given?.byteLength !== MAC_BYTES || !(await hmacVerify(secret, `${purpose}.${payload}`, given)))
    return { ok: false, reason: "forged" };
  const bytes = fromBase64url(payload);
  let json: unknown;
  try {
    json = bytes && JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  const claims = parsed.data;
  if (claims.s !== expect.saleId) return { ok: false, reason: "other_sale" };
  if (claims.c !== expect.customerId) return { ok: false, reason: "other_customer" };
  if (claims.e <= expect.now_ms) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}

export function signTicket(secret: string, claims: TicketClaims): Promise<string> {
  return sign(secret, "ticket", TicketClaims.parse(claims));
}

export function verifyTicket(secret: string, token: string, expect: { saleId: string; customerId: string; now_ms: number }) {
  return verify(secret, "ticket", TicketClaims, token, expect);
}

export function signAdmission(secret: string, claims: AdmissionClaims): Promise<string> {
  return sign(secret, "admission", AdmissionClaims.parse(claims));
}

export function verifyAdmission(secret: string, token: string, expect: { saleId: string; customerId: string; now_ms: number }) {
  return verify(secret, "admission", AdmissionClaims, token, expect);
}
