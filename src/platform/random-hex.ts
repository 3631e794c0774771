/** Each byte's two hex digits: ids are drawn on every request, and formatting each digit anew was a visible cost. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** `bytes` random bytes from the platform's CSPRNG, as lower-case hex (two digits a byte). */
export function randomHex(bytes: number): string {
  let hex = "";
  for (const b of crypto.getRandomValues(new Uint8Array(bytes))) hex += HEX[b];
  return hex;
}
