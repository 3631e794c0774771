/**
 * Runs the schema steps this object's storage has not seen yet, in order, each
 * in its own transaction with the version bump, so a crash mid-way redoes only
 * the step that did not commit.
 */
/** Whether this object's storage was ever set up (an object asked only about an unknown SKU never is). */
export function hasSchema(storage: DurableObjectStorage): boolean {
  return storage.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").toArray().length > 0;
}

export function migrate(storage: DurableObjectStorage, steps: readonly string[]): void {
  storage.sql.exec("CREATE TABLE IF NOT EXISTS schema_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)");
  const row = storage.sql.exec<{ version: number }>("SELECT version FROM schema_version WHERE id = 1").toArray()[0];
  const from = row?.version ?? 0;
  for (let version = from; version < steps.length; version++) {
    storage.transactionSync(() => {
      storage.sql.exec(steps[version]!);
      storage.sql.exec(
        "INSERT INTO schema_version (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version",
        version + 1,
      );
    });
  }
}
