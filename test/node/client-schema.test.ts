/**
 * client/ (the @holdfast/client workspace package) is typed from a committed
 * copy of the OpenAPI document and the types openapi-typescript generates from
 * it. This fails when either is stale against the document the Worker serves;
 * `npm run client:generate` rewrites both (it runs this file in write mode).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { liveContract, ROOT } from "../support/node/contract-doc.ts";

const DOC_FILE = path.join(ROOT, "client", "openapi.json");
const TYPES_FILE = path.join(ROOT, "client", "src", "schema.d.ts");
const WRITE = process.env.HOLDFAST_CLIENT_WRITE === "1";

const read = (file: string) => (existsSync(file) ? readFileSync(file, "utf8") : "");

describe("the typed client's schema", () => {
  it("is the document the Worker serves, and the types generated from it", async () => {
    const doc = await liveContract();
    const json = `${JSON.stringify(doc, null, 2)}\n`;
    const types = astToString(await openapiTS(doc as Parameters<typeof openapiTS>[0]));
    if (WRITE) {
      writeFileSync(DOC_FILE, json);
      writeFileSync(TYPES_FILE, types);
    }
    const stale = "client/ is stale against GET /openapi.json: run `npm run client:generate` and commit client/";
    expect(read(DOC_FILE) === json, stale).toBe(true);
    expect(read(TYPES_FILE) === types, stale).toBe(true);
  }, 60_000);
});
