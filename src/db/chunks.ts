/** D1 binds at most this many parameters to one statement (D1's documented limits). */
export const D1_PARAMS_MAX = 100;

/**
 * `rows` cut into runs that each fit one multi-row statement binding
 * `params_per_row` parameters a row: one statement per run instead of one per
 * row, which is what D1 (and the query builder) pay for.
 */
export function statementChunks<T>(rows: readonly T[], params_per_row: number): T[][] {
  const per = Math.floor(D1_PARAMS_MAX / params_per_row);
  if (per < 1) throw new Error(`a row of ${params_per_row} parameters does not fit one D1 statement`);
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += per) chunks.push(rows.slice(i, i + per));
  return chunks;
}
