/** Secrets the test pool binds (vitest.config.ts) and the tests sign with. */
export const TEST_SECRETS = {
  SHOPPER_JWT_SECRET: "test-shopper-secret-0123456789abcdef",
  ADMIN_TOKEN: "test-admin-token",
  STRIPE_WEBHOOK_SECRET: "whsec_test_0123456789abcdef",
  MERCHANT_WEBHOOK_SECRET: "whsec_dGVzdC1tZXJjaGFudC13ZWJob29rLXNlY3JldA==",
  QUEUE_SIGNING_SECRET: "test-queue-signing-secret-0123456789",
  /** Ed25519 private JWK that signs audit checkpoints (public: test only). */
  AUDIT_SIGNING_KEY:
    '{"crv":"Ed25519","d":"DWZ3kLjB874dhHbrQ0Hu0iAtbuYjaoNTgSM_pozPM3s","x":"zgEvTCCMCigd5X7j25PCOZ33NWOSUcYfKHFGB1_3TPM","kty":"OKP"}',
};

/** Where the test bindings send notifications: the fake merchant (test/support/fake-merchant.ts) records and verifies them. */
export const SUITE_WEBHOOK_PATH = "/hooks/suite";
