/**
 * The API reference served at /api/ is built, not committed (`npm run docs:api`,
 * which `npm run dev` and `npm run deploy` run first). This runs that very script,
 * so a Redocly upgrade or a document it refuses fails here rather than at deploy,
 * and checks the page documents every operation and loads nothing from elsewhere.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/node/contract-doc.ts";

const NPM = process.env.npm_execpath;

describe("the API reference", () => {
  it("builds from client/openapi.json with every operation, self-contained", () => {
    const args = ["run", "-s", "docs:api"];
    // Under `npm test` npm_execpath is npm's own CLI; run directly, fall back to npm on PATH.
    if (NPM?.endsWith(".js")) execFileSync(process.execPath, [NPM, ...args], { cwd: ROOT, stdio: "pipe" });
    else execFileSync("npm", args, { cwd: ROOT, stdio: "pipe" });
    const html = readFileSync(path.join(ROOT, "public", "api", "index.html"), "utf8");
    const doc = JSON.parse(readFileSync(path.join(ROOT, "client", "openapi.json"), "utf8")) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const operations = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).flatMap((op) => (op.operationId ? [op.operationId] : [])),
    );
    expect(operations.length).toBeGreaterThan(20);
    expect(operations.filter((id) => !html.includes(id))).toEqual([]);
    expect(html).toContain("<title>holdfast API reference</title>");
    // The bundle is inlined: no script from a CDN.
    expect(html).not.toMatch(/<script[^>]+src="https?:/);
    expect(html).not.toMatch(/rel="modulepreload"[^>]+href="https?:/);
  }, 60_000);
});
