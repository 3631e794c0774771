/**
 * The OpenAPI contract (GET /openapi.json) checked with tools nobody here
 * wrote: the OpenAPI 3.1 schema (@seriousme/openapi-schema-validator),
 * Redocly's recommended lint rules (redocly.yaml: zero errors, zero warnings)
 * and the types openapi-typescript generates for clients.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Validator } from "@seriousme/openapi-schema-validator";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Contract, liveContract, ROOT } from "../support/node/contract-doc.ts";

type Json = Contract;

let doc: Json;
const dir = mkdtempSync(path.join(tmpdir(), "holdfast-contract-"));
const file = path.join(dir, "openapi.json");

beforeAll(async () => {
  doc = await liveContract();
  writeFileSync(file, JSON.stringify(doc, null, 2));
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function* operations(): Generator<{ key: string; path: string; method: string; op: Json }> {
  for (const [p, item] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) yield { key: `${method.toUpperCase()} ${p}`, path: p, method, op };
  }
}

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("passes Redocly's recommended rules with no errors and no warnings", async () => {
    const cli = path.join(ROOT, "node_modules", "@redocly", "cli", "bin", "cli.js");
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, "lint", file, "--config", path.join(ROOT, "redocly.yaml"), "--format=json"],
      { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } },
    ).catch((e: { stdout?: string; message: string }) => ({ stdout: e.stdout ?? e.message }));
    const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as { totals: Json; problems: Array<{ ruleId: string; message: string }> };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it("names every operation, says who may call it, and documents what it can answer", () => {
    const ids = new Set<string>();
    for (const { key, path: p, op } of operations()) {
      expect(op.operationId, key).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(op.operationId), `${key}: duplicate operationId`).toBe(false);
      ids.add(op.operationId);
      expect(Array.isArray(op.security), `${key}: security`).toBe(true);
      const statuses = Object.keys(op.responses);
      const must = ["405", "500"];
      if (p.startsWith("/v1/")) must.push("401");
      if (op.requestBody) must.push("400", "413", "415");
      if ((op.parameters ?? []).some((x: Json) => x.name === "idempotency-key")) must.push("422");
      expect(statuses, key).toEqual(expect.arrayContaining(must));
      for (const [status, res] of Object.entries<Json>(op.responses)) {
        expect(res.headers?.["Request-Id"], `${key} ${status}: Request-Id`).toBeDefined();
        if (Number(status) >= 400 && p !== "/healthz") expect(res.content?.["application/problem+json"], `${key} ${status}`).toBeDefined();
      }
      expect(op.responses["405"].headers.Allow).toBeDefined();
      if (op.responses["401"]) expect(op.responses["401"].headers["WWW-Authenticate"]).toBeDefined();
      for (const s of ["429", "503"])
        if (op.responses[s] && p !== "/healthz") expect(op.responses[s].headers["Retry-After"], `${key} ${s}`).toBeDefined();
    }
    const byId = Object.fromEntries([...operations()].map((o) => [o.op.operationId, o.op]));
    for (const id of ["createHold", "checkout"]) expect(Object.keys(byId[id].responses)).toContain("429");
    for (const id of ["putSku", "getSku", "adjustStock", "createHold", "getHold", "releaseHold", "checkout", "getSale", "putSale"]) {
      expect(Object.keys(byId[id].responses), id).toContain("503");
    }
    // Optional authentication is an alternative that includes no credential at all.
    expect(byId.getSku.security).toContainEqual({});
    expect(byId.getSale.security).toContainEqual({});
    expect(byId.receiveStripeEvent.security).toEqual([{ stripeSignature: [] }]);
    expect(byId.receiveStripeEvent.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/StripeEvent" });
    expect(byId.payOrder.responses["202"].headers["Idempotent-Replayed"]).toBeDefined();
    expect(doc.servers.length).toBeGreaterThan(0);
    expect(doc.info.license.name).toBeTruthy();
  });

  it("types problem extensions and tells the merchant's SKU view from the public one", () => {
    const problem = doc.components.schemas.Problem;
    expect(Object.keys(problem.properties)).toEqual(
      expect.arrayContaining(["available", "remaining", "orderStatus", "retryAfterSeconds", "errors"]),
    );
    expect(doc.components.schemas.SkuView.discriminator).toMatchObject({ propertyName: "view" });
  });

  it("generates client types where optional input stays optional and the SKU views are a union", async () => {
    const types = astToString(await openapiTS(new URL(`file://${file}`)));
    const skuInput = /SkuInput: \{([\s\S]*?)\n {8}\};/.exec(types)?.[1] ?? "";
    expect(skuInput).toMatch(/alwaysOn\?: boolean;/);
    expect(skuInput).toMatch(/shards\?: number;/);
    expect(types).toMatch(/SkuView: components\["schemas"\]\["Sku"\] \| components\["schemas"\]\["MerchantSku"\];/);
    expect(types).toMatch(/view: "merchant";/);
  }, 30_000);
});
