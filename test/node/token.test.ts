/** `npm run token`: shopper JWTs for any customer id, signed with the local dev secret. */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv, promisify } from "node:util";
import { verify } from "hono/jwt";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, [path.join(ROOT, "scripts", "token.ts"), ...args], { cwd: ROOT }).catch(
    (e: { code: number; stdout: string; stderr: string }) => ({ stdout: e.stdout, stderr: e.stderr, code: e.code }),
  );

/** The secret `npm run dev` binds: .dev.vars, or the example it is copied from. */
function devSecret(): string {
  const file = [".dev.vars", ".dev.vars.example"].map((f) => path.join(ROOT, f)).find((f) => existsSync(f))!;
  return parseEnv(readFileSync(file, "utf8")).SHOPPER_JWT_SECRET!;
}

describe("npm run token", () => {
  it("prints only a token the Worker accepts, for the customer and lifetime asked", async () => {
    const before = Math.floor(Date.now() / 1000);
    const { stdout, stderr } = await run("--sub", "alice@example", "--ttl", "2h");
    const token = stdout.trim();
    expect(token).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const claims = await verify(token, devSecret(), "HS256");
    expect(claims.sub).toBe("alice@example");
    expect(Number(claims.exp) - before).toBeGreaterThanOrEqual(7200 - 1);
    expect(Number(claims.exp) - before).toBeLessThanOrEqual(7200 + 5);
    expect(stderr).toMatch(/sub=alice@example/);

    const positional = await run("bob");
    expect((await verify(positional.stdout.trim(), devSecret(), "HS256")).sub).toBe("bob");
  });

  it("refuses a customer id the Worker would refuse, and a bad --ttl, with exit 2", async () => {
    expect(await run("--sub", "not ok")).toMatchObject({ code: 2, stdout: "" });
    expect(await run("alice", "--ttl", "5 weeks")).toMatchObject({ code: 2, stdout: "" });
    expect(await run()).toMatchObject({ code: 2 });
  });
});
