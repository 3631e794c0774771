import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { setResponseHeader } from "../../src/http/response-headers";

/** A response's headers after a middleware set one past `next()`, and whether the handler's own response object left as it was. */
async function through(handler: () => Response): Promise<{ res: Response; same: boolean }> {
  let made: Response | null = null;
  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    setResponseHeader(c, "vary", "Origin", true);
    setResponseHeader(c, "request-id", "req-1");
  });
  app.get("/", () => (made = handler()));
  const res = await app.request("/");
  return { res, same: res === made };
}

describe("a header set after the handler", () => {
  it("changes a response built here in place, keeping what it had", async () => {
    const { res, same } = await through(
      () => new Response("{}", { status: 409, headers: { vary: "Accept", "content-type": "application/json" } }),
    );
    expect(res.status).toBe(409);
    expect(res.headers.get("vary")).toBe("Accept, Origin");
    expect(res.headers.get("request-id")).toBe("req-1");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(same).toBe(true);
  });

  it("copies a response whose headers are immutable, rather than failing the request", async () => {
    const { res, same } = await through(() => Response.redirect("https://holdfast.example/elsewhere", 302));
    expect(() => Response.redirect("https://holdfast.example/", 302).headers.set("x", "y")).toThrow(TypeError);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("https://holdfast.example/elsewhere");
    expect(res.headers.get("vary")).toBe("Origin");
    expect(res.headers.get("request-id")).toBe("req-1");
    expect(same).toBe(false);
  });
});
