/**
 * A merchant's identity provider, as far as holdfast reads it: a JWKS at
 * https://idp.test/<path>, in the chain of Miniflare's `outboundService`
 * (vitest.config.ts). A test publishes (and rotates) its key set with a PUT of
 * the JWKS to its own path, from inside the Workers runtime; a GET serves
 * the latest and counts the reads. Every other request goes on to `next`.
 */
export const IDP_ORIGIN = "https://idp.test";
const sets = new Map<string, { jwks: string; reads: number }>();

export async function fakeIdpOutbound(request: Request, next: (request: Request) => Promise<Response>): Promise<Response> {
  const url = new URL(request.url);
  if (url.origin !== IDP_ORIGIN) return next(request);
  if (request.method === "PUT") {
    sets.set(url.pathname, { jwks: await request.text(), reads: sets.get(url.pathname)?.reads ?? 0 });
    return new Response(null, { status: 204 });
  }
  const set = sets.get(url.pathname);
  if (!set) return new Response("not found", { status: 404 });
  if (url.searchParams.has("reads")) return Response.json({ reads: set.reads });
  set.reads += 1;
  return new Response(set.jwks, { headers: { "content-type": "application/json" } });
}
