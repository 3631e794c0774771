import { expect } from "vitest";
import { ADMIN, call } from "./helpers";

export type Role = "owner" | "manager" | "fulfillment" | "viewer";

/** A new API key made by ADMIN_TOKEN: its id and its `Authorization` header. */
export async function apiKey(role: Role, opts: { locations?: string[]; expiresAt?: string; name?: string } = {}) {
  const res = await call("/v1/api-keys", { auth: ADMIN, body: { name: opts.name ?? `${role} key`, role, ...opts } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { keyId: res.body.keyId as string, secret: res.body.secret as string, auth: `Bearer ${res.body.secret}` };
}
