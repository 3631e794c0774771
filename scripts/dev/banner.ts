import { sign } from "hono/jwt";
import type { SeedLine } from "./seed.ts";

export const DEMO_SHOPPER = "demo-shopper";
// The Worker refuses shopper tokens that live longer than SHOPPER_JWT_MAX_LIFETIME_SECONDS (24 h by default).
const TOKEN_DAYS = 1;

/**
 * A shopper JWT the Worker accepts (spec §6: HS256 over SHOPPER_JWT_SECRET with
 * `sub` and `exp`), made with the same library that verifies it.
 */
export async function shopperToken(secret: string, customerId: string, now_ms: number): Promise<{ token: string; expiresAt: string }> {
  const exp = Math.floor(now_ms / 1000) + TOKEN_DAYS * 86_400;
  const token = await sign({ sub: customerId, exp }, secret, "HS256");
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** What a developer needs to start calling the API, ready to paste into a shell. */
export function banner(origin: string, adminToken: string, shopper: { token: string; expiresAt: string }, seeded: SeedLine[]): string {
  // `--local-protocol https` serves a self-signed certificate that curl must be told to accept.
  const curl = origin.startsWith("https:") ? "curl -sk" : "curl -s";
  const lines = [
    "",
    "──────────────────────────── holdfast dev ────────────────────────────",
    `  console       ${origin}/console/   (sign in with the admin token)`,
    `  storefront    ${origin}/storefront/?sku=demo-tee   (paste the shopper token)`,
    `  API docs      ${origin}/api/   (OpenAPI: ${origin}/openapi.json)`,
    `  API           ${origin}`,
    `  admin token   ${adminToken}`,
    `  shopper token sub=${DEMO_SHOPPER}, expires ${shopper.expiresAt}`,
    `                ${shopper.token}`,
    "                another customer: npm run -s token -- <customerId> [--ttl 1h]",
    "",
    "  demo data:",
    ...seeded.map((s) => `    ${s.what.padEnd(10)} ${s.action.padEnd(8)} ${s.detail}`),
    ...(seeded.some((s) => s.detail.startsWith("ended"))
      ? ["    (demo-sale has ended: PUT /v1/sales/demo-sale with new dates to reopen it)"]
      : []),
    "",
    "  try:",
    `    export HF=${origin} ADMIN=${adminToken} SHOPPER=${shopper.token}`,
    `    ${curl} $HF/v1/skus/demo-tee -H "Authorization: Bearer $ADMIN"`,
    `    ${curl} -X POST $HF/v1/skus/demo-tee/holds -H "Authorization: Bearer $SHOPPER" \\`,
    "         -H 'content-type: application/json' -d '{\"quantity\":1}'",
    "──────────────────────────────────────────────────────────────────────",
    "",
  ];
  return lines.join("\n");
}
