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
  }
}
