/** The value `text` holds, or null when it is absent or not JSON: for input whose shape a schema or walk checks next. */
export function parseJsonOrNull(text: string | null | undefined): unknown {
  if (text == null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
