/**
 * The OpenAPI document exactly as GET /openapi.json serves it, built in Node
 * from the Worker's own app: building it touches no binding. (A variable path
 * keeps tsc's Node project out of the Worker's sources, which it type-checks
 * with the Workers types.)
 */
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

type App = { request: (p: string, i: object, env: object) => Promise<Response> };

/** The OpenAPI document as JSON, read by path in the tests (its exact type is OpenAPIObject's deep union). */
// biome-ignore lint/suspicious/noExplicitAny: see above.
export type Contract = Record<string, any>;

export async function liveContract(): Promise<Contract> {
  const appModule = path.join(ROOT, "src", "app.ts");
  const { createApp } = (await import(appModule)) as { createApp: () => App };
  const res = await createApp().request("/openapi.json", {}, { LOG_LEVEL: "warn", CORS_ORIGINS: "" });
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return (await res.json()) as Contract;
}
