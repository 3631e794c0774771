/** Each byte's two hex digits: ids are drawn on every request, and formatting each digit anew was a visible cost. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/**
 * CSPRNG bytes are drawn this many at a time: every request and object call
 * takes a trace and a span id and every hold an id, and a call into the
 * runtime (and a new typed array) per id was a visible share of a sold-out
 * refusal's CPU. Each byte is handed out once; the isolate runs one piece of
 * JavaScript at a time, so no two callers see the same range.
 */
const POOL_BYTES = 4096;
let pool = new Uint8Array(0);
let used = 0;

/** `bytes` random bytes from the platform's CSPRNG, as lower-case hex (two digits a byte). */
export function randomHex(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > POOL_BYTES)
    throw new RangeError(`randomHex draws 0 to ${POOL_BYTES} bytes, not ${bytes}`);
  // Lazily: the runtime refuses to generate random values at global scope.
  if (used + bytes > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    used = 0;
  }
  let hex = "";
  for (let i = used, end = used + bytes; i < end; i++) hex += HEX[pool[i]!];
  used += bytes;
  return hex;
}
