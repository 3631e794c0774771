/**
 * `npm run token`: prints a shopper JWT for any customer id, signed with the
 * SHOPPER_JWT_SECRET that `npm run dev` binds (.dev.vars, or the committed
 * .dev.vars.example when there is none yet), so testing several customers
 * needs no HS256 code.
 *
 *   npm run token -- alice                  # 24 hours (the most the Worker accepts by default)
 *   npm run token -- --sub alice --ttl 1h   # s, m, h or d
 *   SHOPPER=$(npm run -s token -- alice)
 *
 * The token goes to stdout alone; what it is goes to stderr.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";
import { readDevSecrets, readSecretsFile } from "./dev/vars.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
/** The Worker's rule for customer ids (src/http/auth.ts CUSTOMER_ID): a token with another `sub` is refused. */
const CUSTOMER_ID = /^[A-Za-z0-9][A-Za-z0-9._:@|-]{0,127}$/;
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function parseTtl(text: string): number {
  const m = /^([1-9][0-9]{0,6})([smhd]?)$/.exec(text);
  if (!m) throw new Error(`--ttl must be a number of seconds or like 30m, 1h, 7d (got "${text}")`);
  const seconds = Number(m[1]) * UNITS[m[2] || "s"]!;
  if (seconds > 366 * 86_400) throw new Error("--ttl is at most 366d");
  return seconds;
}

function usage(): never {
  console.error("usage: npm run token -- <customerId> | --sub <customerId> [--ttl 24h] [--env <name>]");
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      options: {
        sub: { type: "string" },
        ttl: { type: "string", default: "24h" },
        env: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: true,
    });
  } catch (err) {
    console.error(`[token] ${err instanceof Error ? err.message : String(err)}`);
    return usage();
  }
})();
if (values.help) usage();
const sub = values.sub ?? positionals[0];
if (sub === undefined || positionals.length > (values.sub === undefined ? 1 : 0)) usage();
if (!CUSTOMER_ID.test(sub)) {
  console.error(`[token] "${sub}" is not a customer id: 1-128 of letters, digits and . _ : @ | -, starting with a letter or digit`);
  process.exit(2);
}
let ttl: number;
try {
  ttl = parseTtl(values.ttl!);
} catch (err) {
  console.error(`[token] ${(err as Error).message}`);
  process.exit(2);
}

const devVars = [...(values.env ? [`.dev.vars.${values.env}`] : []), ".dev.vars"].some((f) => existsSync(path.join(ROOT, f)));
// Before the first `npm run dev` there is no .dev.vars: that run will copy the example, so sign with its secret.
const secrets = devVars ? readDevSecrets(ROOT, values.env) : readSecretsFile(path.join(ROOT, ".dev.vars.example"));
const exp = Math.floor(Date.now() / 1000) + ttl;
const token = await sign({ sub, exp }, secrets.SHOPPER_JWT_SECRET, "HS256");
console.error(
  `[token] shopper token for sub=${sub}, expires ${new Date(exp * 1000).toISOString()}${devVars ? "" : " (signed with .dev.vars.example's secret)"}`,
);
console.log(token);
