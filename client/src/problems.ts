import type { components } from "./schema.d.ts";

/** An RFC 9457 problem as holdfast answers it, typed from the OpenAPI document. */
export type Problem = components["schemas"]["Problem"];
export type ProblemCode = Problem["code"];

/** Narrows an openapi-fetch `error` (or anything) to a problem, optionally of one code. */
export function isProblem<C extends ProblemCode>(value: unknown, code?: C): value is Problem & { code: C } {
  if (typeof value !== "object" || value === null) return false;
  const c = (value as { code?: unknown }).code;
  return typeof c === "string" && (code === undefined || c === code);
}

/** Thrown by `unwrap` so callers who prefer exceptions still get the typed problem. */
export class HoldfastProblem extends Error {
  readonly problem: Problem;
  readonly response: Response;

  constructor(problem: Problem, response: Response) {
    super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = "HoldfastProblem";
    this.problem = problem;
    this.response = response;
  }

  get code(): ProblemCode {
    return this.problem.code;
  }
}

/** openapi-fetch's `{ data, error, response }` to the data, or a thrown HoldfastProblem. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || data === undefined) {
    if (isProblem(error)) throw new HoldfastProblem(error, response);
    throw new Error(`holdfast answered ${response.status} without a problem document`);
  }
  return data;
}
