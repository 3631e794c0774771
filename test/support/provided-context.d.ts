import "vitest";

// Values vitest.config.ts passes to the tests through `provide`.
declare module "vitest" {
  interface ProvidedContext {
    modelSeed: string;
    fuzzSeed: string;
    fuzzRuns: string;
    /** TEST_VERBOSE=1: the model and fuzz tests print their summaries (seeds are in the test names). */
    testVerbose: string;
    /** LOTTERY_ENTRANTS=<n>: test/waiting-room/lottery-scale.test.ts also draws n entrants and prints its figures. */
    lotteryEntrants: string;
    /**
     * The browser project's one `wrangler dev` and Chromium (test/support/node/browser-global-setup.ts):
     * the server's origin, Chromium's playwright endpoint, and a port on 127.0.0.1 serving a page from an
     * origin the server's CORS_ORIGINS lists (nothing else does).
     */
    browserApp: { origin: string; chromium: string; corsPagePort: number };
  }
}
