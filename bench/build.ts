import path from "node:path";
import { build } from "esbuild";
import { OUT_DIR, ROOT } from "./config.ts";

/**
 * Bundles bench/worker.ts (the product plus the /__bench/ probes) into one ES
 * module for Miniflare. esbuild is the bundler wrangler itself uses, and the
 * options below are the ones `wrangler deploy` passes it; calling it directly
 * keeps the build offline (wrangler would also check npm for updates) and fast.
 */
export async function bundleBenchWorker(): Promise<string> {
  const outfile = path.join(OUT_DIR, "worker.js");
  await build({
    entryPoints: [path.join(ROOT, "bench", "worker.ts")],
    outfile,
    bundle: true,
    format: "esm",
    target: "es2024",
    supported: { "import-source": true, using: true },
    conditions: ["workerd", "worker", "browser"],
    // Provided by workerd itself (nodejs_compat covers node:*).
    external: ["cloudflare:*", "node:*"],
    define: { "process.env.NODE_ENV": '"production"' },
    keepNames: true,
    minify: false,
    sourcemap: false,
    logLevel: "warning",
  });
  return outfile;
}
