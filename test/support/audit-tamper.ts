import { env } from "cloudflare:workers";

/**
 * Runs statements that change or remove audit events, as a rogue with D1
 * access would: D1's append-only triggers (migrations/0010) refuse UPDATE
 * and DELETE, so the batch drops them, runs the statements and puts them
 * back, all or nothing. Tests use it to tamper with the log, or to clean up
 * rows they planted.
 */
export async function asRogue(...statements: D1PreparedStatement[]): Promise<void> {
  const guards = await env.DB.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_events'").all<{
    name: string;
    sql: string;
  }>();
  await env.DB.batch([
    ...guards.results.map((g) => env.DB.prepare(`DROP TRIGGER ${g.name}`)),
    ...statements,
    ...guards.results.map((g) => env.DB.prepare(g.sql)),
  ]);
}
