/**
 * `npm run dev` on a first run (issue 21): a fresh state directory, so every
 * migration is applied and the demo seeded. What a developer reads must fit on
 * a screen: the console, the storefront and the API docs named, under 40
 * lines, and no stack trace (wrangler's offline Request.cf download used to
 * print one on every start).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/node/wrangler-dev.ts";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
/** The banner's last line: the run's output up to it is the first screen. */
const BANNER_END = /^─{20,}$/m;
const FIRST_RUN_TIMEOUT_MS = 180_000;
const state = mkdtempSync(path.join(tmpdir(), "holdfast-dev-"));

afterAll(() => rmSync(state, { recursive: true, force: true }));

async function firstScreen(): Promise<string> {
  const [port, inspector] = [await freePort(), await freePort()];
  // A developer's shell: none of the quieting the test configuration sets, and no Request.cf switch (the script sets it).
  const { WRANGLER_LOG: _log, CLOUDFLARE_CF_FETCH_ENABLED: _cf, ...shell } = process.env;
  const child = spawn(
    process.execPath,
    ["scripts/dev.ts", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector), "--persist-to", state],
    { cwd: ROOT, env: { ...shell, WRANGLER_SEND_METRICS: "false" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within ${FIRST_RUN_TIMEOUT_MS} ms:\n${output}`)), FIRST_RUN_TIMEOUT_MS);
      const take = (d: Buffer) => {
        output += d.toString();
        // The banner opens with "── holdfast dev ──" and closes with a plain rule.
        const start = output.indexOf("holdfast dev");
        if (start >= 0 && BANNER_END.test(output.slice(start + 20))) {
          clearTimeout(timer);
          // A moment for anything wrangler prints late (its Request.cf lookup ran at start-up).
          setTimeout(() => resolve(output), 1_500);
        }
      };
      child.stdout!.on("data", take);
      child.stderr!.on("data", take);
      child.once("exit", (code) => reject(new Error(`npm run dev exited (${code}) before its banner:\n${output}`)));
    });
  } finally {
    child.kill("SIGINT");
    await exited;
  }
}

describe("npm run dev, first run", () => {
  it("names the console, the storefront and the API docs in under 40 lines, with no stack trace", {
    timeout: FIRST_RUN_TIMEOUT_MS + 30_000,
  }, async () => {
    const screen = await firstScreen();
    const lines = screen.trimEnd().split("\n");
    console.log(`[dev] first run: ${lines.length} lines up to the banner's end`);
    expect(screen).toMatch(/console\s+http:\/\/127\.0\.0\.1:\d+\/console\//);
    expect(screen).toMatch(/storefront\s+http:\/\/127\.0\.0\.1:\d+\/storefront\//);
    expect(screen).toMatch(/API docs\s+http:\/\/127\.0\.0\.1:\d+\/api\//);
    expect(screen).toMatch(/Local D1: \d+ migrations applied/);
    expect(screen).not.toMatch(/^\s+at .+[(:]\d+/m);
    expect(screen).not.toMatch(/Request\.cf|cf\.json/);
    expect(lines.length, screen).toBeLessThan(40);
  });
});
