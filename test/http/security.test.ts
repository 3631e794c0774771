import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, call, expectProblem, shopperToken } from "../support/helpers";

/**
 * Every operation's declared `security` (the contract, /openapi.json) is what
 * the Worker enforces: read from the document, so a new route is covered the
 * day it is added. Authorization comes before the input is read, so
 * placeholder parameters and no body are enough to meet the refusal.
 */

type Kind = "merchant" | "shopper";
interface Guarded {
  key: string;
  method: string;
  url: string;
  kinds: Kind[];
  documented: Set<string>;
}

let guarded: Guarded[] = [];
const credential: Record<Kind, () => Promise<string>> = {
  merchant: async () => ADMIN,
  shopper: () => shopperToken("security-probe"),
};

beforeAll(async () => {
  const doc = (await call("/openapi.json")).body as {
    paths: Record<string, Record<string, { security?: Array<Record<string, string[]>>; responses: Record<string, unknown> }>>;
  };
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const security = op.security ?? [];
      // No requirement, or `{}` among the alternatives: anyone may call.
      if (security.length === 0 || security.some((alt) => Object.keys(alt).length === 0)) continue;
      const kinds = security.flatMap((alt) => Object.keys(alt)).filter((k): k is Kind => k === "merchant" || k === "shopper");
      // Other schemes (the webhook's Stripe-Signature) are not credentials of a caller.
      if (kinds.length === 0) continue;
      guarded.push({
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        url: path.replaceAll(/\{[^}]+\}/g, "probe-1"),
        kinds,
        documented: new Set(Object.keys(op.responses)),
      });
    }
  }
  guarded = guarded.sort((a, b) => a.key.localeCompare(b.key));
});

describe("declared security", () => {
  it("guards most of the API (the document was read)", () => {
    expect(guarded.length).toBeGreaterThan(20);
  });

  it("refuses every guarded operation without a credential: 401 unauthorized, documented, with a Bearer challenge", async () => {
    for (const op of guarded) {
      const res = await call(op.url, { method: op.method });
      expect(op.documented.has("401"), `${op.key} documents 401`).toBe(true);
      expect({ op: op.key, status: res.status, code: res.body.code }).toEqual({ op: op.key, status: 401, code: "unauthorized" });
      expectProblem(res, 401, "unauthorized");
      expect(res.headers.get("www-authenticate"), op.key).toMatch(/^Bearer /);
    }
  });

  it("refuses the other kind of credential: 403 forbidden, documented", async () => {
    for (const op of guarded) {
      const others = (["merchant", "shopper"] as const).filter((k) => !op.kinds.includes(k));
      for (const other of others) {
        const res = await call(op.url, { method: op.method, auth: await credential[other]() });
        expect(op.documented.has("403"), `${op.key} documents 403`).toBe(true);
        expect({ op: op.key, status: res.status, code: res.body.code }).toEqual({ op: op.key, status: 403, code: "forbidden" });
        expectProblem(res, 403, "forbidden");
      }
    }
  });
});
