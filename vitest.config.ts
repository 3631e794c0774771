import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { fakeMerchantOutbound } from "./test/fake-merchant.ts";
import { fakeTurnstileOutbound } from "./test/fake-turnstile.ts";
import { TEST_SECRETS } from "./test/secrets.ts";


// Wrangler reads required secrets from the environment; the pool binds the same values below.
Object.assign(process.env, TEST_SECRETS);

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: { ...TEST_SECRETS, TEST_MIGRATIONS: migrations, LOG_LEVEL: "warn" },
                // A small per-IP budget so the 429 path is reachable in a test; the
                // per-customer one stays as wrangler.toml declares it.
                ratelimits: { IP_RATE_LIMITER: { namespace_id: "1002", simple: { limit: 20, period: 10 } } },
                // Fake Turnstile siteverify and merchant webhook receiver (host merchant.test); the rest passes through.
                outboundService: (request: Request) => fakeTurnstileOutbound(request, fakeMerchantOutbound),
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: ["test/browser/**", "test/node/**"],
            setupFiles: ["./test/setup.ts"],
            testTimeout: 30_000,
            // MODEL_SEED=<n> npm test replays one run of the model-based test; FUZZ_SEED=<n> one of the
            // fuzzer (test/fuzz.integration.test.ts), FUZZ_RUNS=<n> sets its requests per operation.
            provide: { modelSeed: process.env.MODEL_SEED ?? "", fuzzSeed: process.env.FUZZ_SEED ?? "", fuzzRuns: process.env.FUZZ_RUNS ?? "" },
          },
        },
        {
          // Node-side tests: a headless browser against `wrangler dev` (test/browser/wrangler-dev.ts),
          // and the OpenAPI contract checked with Node tools (test/node).
          test: {
            name: "node",
            include: ["test/browser/**/*.test.ts", "test/node/**/*.test.ts"],
            environment: "node",
            testTimeout: 30_000,
            hookTimeout: 90_000,
          },
        },
      ],
    },
  };
});
