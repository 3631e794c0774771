// Optional secrets: `wrangler types` lists only the required ones (wrangler.toml [secrets]).
interface Env {
  /** Stripe API key; when absent, payments go through the built-in simulated provider. */
  STRIPE_SECRET_KEY?: string;
  /**
   * Local runs only: the origin of a Stripe fake (`npm run chaos` starts one). Honoured only
   * for a loopback http origin, so no deployed Worker can be pointed elsewhere by it.
   */
  STRIPE_API_BASE?: string;
  /** Cloudflare Turnstile secret; when set, joining a waiting room needs a Turnstile token. */
  TURNSTILE_SECRET_KEY?: string;
  /** When set, a shopper JWT's `aud` must name it (docs/security.md). */
  SHOPPER_JWT_AUDIENCE?: string;
  /** When set, a shopper JWT's `iss` must equal it. */
  SHOPPER_JWT_ISSUER?: string;
  /**
   * The merchant's identity provider's JWKS (spec §12): RS256/ES256 shopper tokens are verified against it,
   * and must carry SHOPPER_JWT_ISSUER and SHOPPER_JWT_AUDIENCE (both must be set). Absent: HS256 only.
   */
  SHOPPER_JWKS_URL?: string;
  /** Seconds between reads of the JWKS for an unknown `kid` (default 5). */
  SHOPPER_JWKS_COOLDOWN_SECONDS?: string;
  /** The longest a shopper JWT may live (`exp` after `iat` and after now); default 86400. */
  SHOPPER_JWT_MAX_LIFETIME_SECONDS?: string;
  /** Ed25519 private JWK that signs audit checkpoints (docs/operations.md); when absent, no checkpoints are made. */
  AUDIT_SIGNING_KEY?: string;
}
