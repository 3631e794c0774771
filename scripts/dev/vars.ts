import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";

export interface DevSecrets {
  ADMIN_TOKEN: string;
  SHOPPER_JWT_SECRET: string;
}

/**
 * Gives a fresh clone its local secrets: `.dev.vars` is git-ignored, so it is
 * copied from the committed example the first time. An existing file is never
 * touched, so a developer's own values survive.
 */
export function ensureDevVars(root: string): void {
  const target = path.join(root, ".dev.vars");
  const example = path.join(root, ".dev.vars.example");
  if (!existsSync(target)) {
    copyFileSync(example, target);
    console.log("[dev] Created .dev.vars from .dev.vars.example (local-only secrets; edit it to change them).");
    return;
  }
  // An older copy misses secrets added to the example since; say which rather than edit the file.
  const have = parseEnv(readFileSync(target, "utf8"));
  const missing = Object.keys(parseEnv(readFileSync(example, "utf8"))).filter((k) => !(k in have));
  if (missing.length > 0) {
    console.warn(`[dev] .dev.vars lacks ${missing.join(", ")}; copy them from .dev.vars.example.`);
  }
}

/**
 * The secrets `wrangler dev` will bind, read the way wrangler reads them:
 * `.dev.vars.<env>` when `--env` names one that exists, else `.dev.vars`
 * (both in dotenv syntax), so the seed and the printed tokens match the server.
 */
export function readDevSecrets(root: string, env: string | undefined): DevSecrets {
  const candidates = [...(env ? [`.dev.vars.${env}`] : []), ".dev.vars"].map((f) => path.join(root, f));
  const file = candidates.find((f) => existsSync(f));
  if (!file) throw new Error("no .dev.vars file");
  return readSecretsFile(file);
}

/** ADMIN_TOKEN and SHOPPER_JWT_SECRET from one dotenv file. */
export function readSecretsFile(file: string): DevSecrets {
  const vars = parseEnv(readFileSync(file, "utf8"));
  const { ADMIN_TOKEN, SHOPPER_JWT_SECRET } = vars;
  if (!ADMIN_TOKEN || !SHOPPER_JWT_SECRET) {
    throw new Error(`${path.basename(file)} must define ADMIN_TOKEN and SHOPPER_JWT_SECRET (see .dev.vars.example)`);
  }
  return { ADMIN_TOKEN, SHOPPER_JWT_SECRET };
}

/** The merchant token a command-line tool uses: HOLDFAST_ADMIN_TOKEN, else ADMIN_TOKEN of `.dev.vars[.<env>]` (or the example's). */
export function merchantToken(root: string, env: string | undefined): string {
  return (
    process.env.HOLDFAST_ADMIN_TOKEN ??
    (existsSync(path.join(root, ".dev.vars")) || env ? readDevSecrets(root, env) : readSecretsFile(path.join(root, ".dev.vars.example")))
      .ADMIN_TOKEN
  );
}
