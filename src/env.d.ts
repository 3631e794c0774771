// Optional secrets: `wrangler types` lists only the required ones (wrangler.toml [secrets]).
interface Env {
  /** Stripe API key; when absent, payments go through the built-in simulated provider. */
  STRIPE_SECRET_KEY?: string;
  /** Cloudflare Turnstile secret; when set, joining a waiting room needs a Turnstile token. */
  TURNSTILE_SECRET_KEY?: string;
  /** Ed25519 private JWK that signs audit checkpoints (docs/operations.md); when absent, no checkpoints are made. */
  AUDIT_SIGNING_KEY?: string;
}
