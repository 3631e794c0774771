import "vitest";

// Values vitest.config.ts passes to the tests through `provide`.
declare module "vitest" {
  interface ProvidedContext {
    modelSeed: string;
    fuzzSeed: string;
    fuzzRuns: string;
  }
}
