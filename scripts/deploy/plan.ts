/**
 * The production deploy's plan (`npm run deploy`), built from wrangler.toml
 * without running anything: what the environment names (its D1 database, its
 * queues and their dead-letter queues, its R2 buckets) and the steps that make
 * them exist, lock the audit archive, migrate, load the secrets and deploy. Each step is idempotent: it checks
 * first where a check is possible, and a repeat changes nothing.
 */

export interface EnvResources {
  database: string | null;
  /** Queues the environment produces to, consumes or dead-letters into, each once. */
  queues: string[];
  /** R2 buckets the environment binds, each once. */
  buckets: string[];
  /** Whether database_id is still the all-zero placeholder. */
  placeholderDatabaseId: boolean;
}

export interface Step {
  title: string;
  /** Arguments after `wrangler`; null for a step the script does itself. */
  wrangler: string[] | null;
  /** Arguments after `wrangler` of a read whose output says whether the step is already done. */
  check?: { wrangler: string[]; done: (output: string) => boolean };
  /** Why the step is skipped outright (nothing to do), printed instead of running it. */
  skip?: string;
}

const PLACEHOLDER_ID = "00000000-0000-0000-0000-000000000000";
/** The audit log's write-once archive (spec §7): its bucket's retention rules live in this file. */
const AUDIT_ARCHIVE_BUCKET = "holdfast-audit-archive";
const AUDIT_ARCHIVE_LOCK_FILE = "r2-audit-lock.json";

/** The environment's resources, read line by line from its `[env.<name>...]` tables (the rest of the file is not needed). */
export function resourcesOf(toml: string, env: string): EnvResources {
  let inEnv = false;
  let database: string | null = null;
  let placeholderDatabaseId = false;
  const queues = new Set<string>();
  const buckets = new Set<string>();
  for (const raw of toml.split("\n")) {
    const line = raw.trim();
    const header = /^\[\[?([^\]]+)\]\]?$/.exec(line);
    if (header) {
      inEnv = header[1]!.startsWith(`env.${env}.`);
      continue;
    }
    if (!inEnv) continue;
    const kv = /^(\w+)\s*=\s*"([^"]*)"/.exec(line);
    if (!kv) continue;
    const [, key, value] = kv;
    if (key === "database_name") database = value!;
    if (key === "database_id" && value === PLACEHOLDER_ID) placeholderDatabaseId = true;
    if (key === "queue" || key === "dead_letter_queue") queues.add(value!);
    if (key === "bucket_name") buckets.add(value!);
  }
  return { database, queues: [...queues].sort(), buckets: [...buckets].sort(), placeholderDatabaseId };
}

export function deployPlan(toml: string, env: string, secretsFile: string | null): Step[] {
  const r = resourcesOf(toml, env);
  if (!r.database) throw new Error(`wrangler.toml has no [[env.${env}.d1_databases]] with a database_name`);
  const db = r.database;
  return [
    { title: "Build the API reference into public/api/", wrangler: null },
    {
      title: `D1 database "${db}"`,
      wrangler: ["d1", "create", db],
      check: { wrangler: ["d1", "list", "--json"], done: (out) => listedNames(out, "name").includes(db) },
    },
    {
      title: `database_id of "${db}" in wrangler.toml [env.${env}]`,
      wrangler: null,
      ...(r.placeholderDatabaseId ? {} : { skip: "already set" }),
    },
    ...r.queues.map((q) => ({
      title: `Queue "${q}"`,
      wrangler: ["queues", "create", q],
      check: { wrangler: ["queues", "list"], done: (out: string) => listed(out, q) },
    })),
    ...r.buckets.map((b) => ({
      title: `R2 bucket "${b}"`,
      wrangler: ["r2", "bucket", "create", b],
      check: { wrangler: ["r2", "bucket", "list"], done: (out: string) => listed(out, b) },
    })),
    ...(r.buckets.includes(AUDIT_ARCHIVE_BUCKET)
      ? [
          {
            // Before the Worker writes to it: nobody, its operator included, deletes or overwrites an archived object within the rule's age.
            title: `Write-once rules of "${AUDIT_ARCHIVE_BUCKET}" from ${AUDIT_ARCHIVE_LOCK_FILE}`,
            wrangler: ["r2", "bucket", "lock", "set", AUDIT_ARCHIVE_BUCKET, "--file", AUDIT_ARCHIVE_LOCK_FILE, "--force"],
          },
        ]
      : []),
    {
      title: "Rate limiters",
      wrangler: null,
      skip: "declared by namespace_id in wrangler.toml; Cloudflare creates nothing for them ahead of the deploy",
    },
    { title: `Apply the D1 migrations to the remote "${db}"`, wrangler: ["d1", "migrations", "apply", "DB", "--remote", "--env", env] },
    secretsFile
      ? { title: `Load the secrets from ${secretsFile}`, wrangler: ["secret", "bulk", secretsFile, "--env", env] }
      : { title: "Load the secrets", wrangler: null, skip: "no --secrets <file> given (the Worker keeps the secrets it has)" },
    { title: `Deploy the Worker (env ${env})`, wrangler: ["deploy", "--env", env] },
  ];
}

function listedNames(json: string, key: string): string[] {
  try {
    const rows = JSON.parse(json) as Array<Record<string, unknown>>;
    return rows.map((r) => String(r[key]));
  } catch {
    return [];
  }
}

/** Whether a wrangler list's text output names `name` as a whole word (a table cell or a `name:` line). */
function listed(out: string, name: string): boolean {
  return new RegExp(`(^|[\\s│|])${escapeRegExp(name)}([\\s│|]|$)`, "m").test(out);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A step as the plan prints it. */
export function describe(step: Step, i: number, total: number): string {
  const command = step.wrangler ? `wrangler ${step.wrangler.join(" ")}` : "(done by the script)";
  const check = step.check ? `\n      unless \`wrangler ${step.check.wrangler.join(" ")}\` shows it exists` : "";
  return `[${i + 1}/${total}] ${step.title}${step.skip ? ` — skipped: ${step.skip}` : `\n      ${command}${check}`}`;
}
