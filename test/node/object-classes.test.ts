/**
 * Durable Object classes keep their storage across renames only through a
 * migration: a class renamed in code alone would deploy as a new, empty class
 * (or fail to deploy), and every SKU's stock or waiting room would start
 * again from nothing. Miniflare applies no migrations locally, so no
 * Workers-runtime test can see this; the configuration is checked here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { unstable_readConfig } from "wrangler";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

type Migration = {
  new_classes?: string[];
  new_sqlite_classes?: string[];
  renamed_classes?: { from: string; to: string }[];
  deleted_classes?: string[];
};

/** The classes a deployment has after applying every migration in order, as the platform does. */
function liveClasses(migrations: Migration[]): { live: Set<string>; renamed: Map<string, string> } {
  const live = new Set<string>();
  const renamed = new Map<string, string>();
  for (const m of migrations) {
    for (const c of [...(m.new_classes ?? []), ...(m.new_sqlite_classes ?? [])]) live.add(c);
    for (const { from, to } of m.renamed_classes ?? []) {
      expect(live.has(from), `renamed_classes names ${from}, which no earlier migration created`).toBe(true);
      live.delete(from);
      live.add(to);
      renamed.set(from, to);
    }
    for (const c of m.deleted_classes ?? []) live.delete(c);
  }
  return { live, renamed };
}

/** The Durable Object classes src/worker.ts exports (`export { X } from "./objects/..."`). */
function exportedObjectClasses(): Set<string> {
  const worker = readFileSync(path.join(ROOT, "src", "worker.ts"), "utf8");
  return new Set([...worker.matchAll(/export \{ (\w+) \} from "\.\/objects\//g)].map((m) => m[1]!));
}

describe("Durable Object classes and their migrations", () => {
  for (const env of [undefined, "production"]) {
    it(`binds, exports and migrates the same classes (${env ?? "local"})`, () => {
      const config = unstable_readConfig({ config: path.join(ROOT, "wrangler.toml"), env });
      const { live } = liveClasses(config.migrations as Migration[]);
      const bound = new Set(config.durable_objects.bindings.map((b: { class_name: string }) => b.class_name));
      expect([...bound].sort()).toEqual([...live].sort());
      expect([...exportedObjectClasses()].sort()).toEqual([...live].sort());
    });
  }

  it("carries the waiting room's objects from QueueObject to WaitingRoomObject", () => {
    const config = unstable_readConfig({ config: path.join(ROOT, "wrangler.toml") });
    const { renamed } = liveClasses(config.migrations as Migration[]);
    expect(renamed.get("QueueObject")).toBe("WaitingRoomObject");
    expect(config.durable_objects.bindings.find((b: { name: string }) => b.name === "WAITING_ROOM")?.class_name).toBe("WaitingRoomObject");
  });
});
