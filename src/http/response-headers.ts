import type { Context } from "hono";

/**
 * Sets a header on the response a middleware holds after `next()`. Hono's
 * `c.header` copies a finished response before changing it, since it may be
 * one whose headers are immutable (fetch's, a redirect's); ours are built
 * here and mutable, so one is changed in place and only an immutable one is
 * copied. The copy cost every API response a Response and its headers.
 */
export function setResponseHeader(c: Context, name: string, value: string, append = false): void {
  const headers = c.res.headers;
  try {
    if (append) headers.append(name, value);
    else headers.set(name, value);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    c.header(name, value, { append });
  }
}
