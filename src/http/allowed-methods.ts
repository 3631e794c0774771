/**
 * Which methods a path is served with, from the app's own route table, so a
 * known path asked with another method gets 405 and an `Allow` header rather
 * than a 404 (RFC 9110).
 */
export function allowedMethods(routes: ReadonlyArray<{ method: string; path: string }>): (path: string) => string[] {
  const table = routes
    .filter((r) => r.method !== "ALL" && !r.path.includes("*"))
    .map((r) => ({ method: r.method, pattern: new RegExp(`^${r.path.replace(/:[^/]+/g, "[^/]+")}$`) }));
  return (path) => [...new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method))].sort();
}
