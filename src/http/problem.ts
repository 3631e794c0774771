import { PROBLEMS, type ProblemCode } from "../domain/problems";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/**
 * An RFC 9457 problem document with the API's `code` (spec §6).
 * Extension members come first so they can never overwrite a standard one.
 */
export function problemBody(code: ProblemCode, detail: string, extra: Record<string, unknown> = {}) {
  const { status, title } = PROBLEMS[code];
  return { ...extra, type: `https://holdfast.dev/problems/${code}`, title, status, code, detail };
}

/** The code of each problem response made here, so request logging need not parse bodies back. */
const codes = new WeakMap<Response, ProblemCode>();

export function problemResponse(
  code: ProblemCode,
  detail: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  const body = problemBody(code, detail, extra);
  // RFC 9110: a 401 names the scheme the client should use.
  const challenge: Record<string, string> = code === "unauthorized" ? { "www-authenticate": 'Bearer realm="holdfast"' } : {};
  const res = new Response(JSON.stringify(body), {
    status: body.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...challenge, ...headers },
  });
  codes.set(res, code);
  return res;
}

export function problemCodeOf(res: Response): ProblemCode | undefined {
  return codes.get(res);
}
