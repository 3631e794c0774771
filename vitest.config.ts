import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import type { Plugin } from "vite";
import { defineConfig } from "vitest/config";
import { fakeBeaconOutbound, TEST_BEACON_BINDINGS } from "./test/support/beacon.ts";
import { fakeIdpOutbound } from "./test/support/fake-idp.ts";
import { fakeMerchantOutbound } from "./test/support/fake-merchant.ts";
import { fakeTurnstileOutbound } from "./test/support/fake-turnstile.ts";
import { SUITE_WEBHOOK_PATH, TEST_SECRETS } from "./test/support/secrets.ts";

// Wrangler reads required secrets from the environment; the pool binds the same values below.
Object.assign(process.env, TEST_SECRETS);
// Wrangler's info lines ("Using secrets defined in process.env", for every project and
// `wrangler dev` the browser tests start) are noise here; its warnings and errors still print.
process.env.WRANGLER_LOG ??= "warn";

/**
 * Drops one Vite warning: packages that ship source maps naming sources they do
 * not ship (stripe's ESM build, standardwebhooks) are not ours to fix, and the
 * warning repeats for each of their files. A plugin, because vitest installs its
 * own logger over a config's `customLogger`; every other message passes.
 */
function quietDependencySourcemaps(): Plugin {
  const missingSources = /^Sourcemap for ".*\/node_modules\/.*" points to missing source files/;
  return {
    name: "holdfast:quiet-dependency-sourcemaps",
    configResolved(config) {
      const { warnOnce } = config.logger;
      config.logger.warnOnce = (msg, options) => {
        if (!missingSources.test(msg)) warnOnce(msg, options);
      };
    },
  };
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    test: {
      projects: [
        {
          plugins: [
            quietDependencySourcemaps(),
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  ...TEST_SECRETS,
                  TEST_MIGRATIONS: migrations,
                  LOG_LEVEL: "warn",
                  DEV_TOOLS: "on",
                  // The object call's time fuse (5 s in production) is tested with its own value (object-call.test.ts);
                  // here a 400-hold stampede on a loaded 2-core machine may queue past 5 s, which is no refusal to assert.
                  OBJECT_TIMEOUT_MS: "30000",
                  // Notifications go to the fake merchant, signed (Standard Webhooks), rather than to the log.
                  MERCHANT_WEBHOOK_URL: `https://merchant.test${SUITE_WEBHOOK_PATH}`,
                  // The lottery draws from the local beacon (test/support/beacon.ts), not drand.
                  ...TEST_BEACON_BINDINGS,
                },
                // A small per-IP budget so the 429 path is reachable in a test; the
                // per-customer one stays as wrangler.toml declares it.
                ratelimits: { IP_RATE_LIMITER: { namespace_id: "1002", simple: { limit: 20, period: 10 } } },
                // Fake Turnstile siteverify, the test beacon (drand.test), merchant webhook receiver (host merchant.test) and
                // identity provider's JWKS (idp.test); the rest passes through.
                outboundService: (request: Request) =>
                  fakeTurnstileOutbound(request, (r) => fakeBeaconOutbound(r, (r2) => fakeIdpOutbound(r2, fakeMerchantOutbound))),
              },
            }),
          ],
          test: {
            name: "workers",
            // Tests live in folders that mirror src/ and are named by their subject; test/support/
            // holds what they share and is no test. The one suffix that means something is
            // `.model.test.ts`: the model-based tests MODEL_SEED replays (`npx vitest run model`).
            include: ["test/**/*.test.ts"],
            exclude: ["test/browser/**", "test/node/**"],
            setupFiles: ["./test/support/setup.ts"],
            // Every file starts a fresh workerd and loads the Worker's whole module graph into it through Vite,
            // one request per module; pre-bundling the dependencies (stripe alone is hundreds of modules) into one
            // module each cuts that load about in half (docs/testing.md#duration-output-and-seeds). A dependency
            // missing here still works, loaded module by module.
            deps: {
              optimizer: {
                ssr: {
                  enabled: true,
                  include: [
                    "@cfworker/json-schema",
                    "@hono/zod-openapi",
                    "@noble/curves/bls12-381.js",
                    "drizzle-orm",
                    "drizzle-orm/batch",
                    "drizzle-orm/d1",
                    "drizzle-orm/sqlite-core",
                    "fast-check",
                    "hono",
                    "hono/body-limit",
                    "hono/cors",
                    "hono/http-exception",
                    "hono/jwt",
                    "hono/route",
                    "jose",
                    "parse-prometheus-text-format",
                    "standardwebhooks",
                    "stripe",
                    "zod",
                  ],
                },
              },
            },
            testTimeout: 30_000,
            // MODEL_SEED=<n> npm test replays one run of the model-based tests; FUZZ_SEED=<n> one of the
            // fuzzer (test/http/schema-fuzzer.test.ts), FUZZ_RUNS=<n> sets its requests per operation.
            // Seeds are in the test names, so a failure shows how to replay it; TEST_VERBOSE=1 prints summaries.
            provide: {
              modelSeed: process.env.MODEL_SEED ?? "",
              fuzzSeed: process.env.FUZZ_SEED ?? "",
              fuzzRuns: process.env.FUZZ_RUNS ?? "",
              testVerbose: process.env.TEST_VERBOSE ?? "",
              // LOTTERY_ENTRANTS=<n>: the lottery scale run (npm run bench:lottery) draws n entrants too.
              lotteryEntrants: process.env.LOTTERY_ENTRANTS ?? "",
            },
          },
        },
        {
          // Node-side tests: the OpenAPI contract, the client and the scripts checked with Node tools (test/node).
          // The folder picks the project.
          test: {
            name: "node",
            include: ["test/node/**/*.test.ts"],
            environment: "node",
            testTimeout: 30_000,
            hookTimeout: 90_000,
          },
        },
        {
          // A headless browser against `wrangler dev` (test/browser): one server and one Chromium for all its
          // files, booted by the globalSetup (test/support/node/browser-global-setup.ts), not once per file.
          test: {
            name: "browser",
            include: ["test/browser/**/*.test.ts"],
            environment: "node",
            globalSetup: ["./test/support/node/browser-global-setup.ts"],
            testTimeout: 30_000,
            hookTimeout: 90_000,
          },
        },
      ],
    },
  };
});
