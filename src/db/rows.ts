/** postgres.js returns an array of rows, PGlite an object with `rows`: one accessor for both. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Dates as ISO text for raw SQL parameters (postgres.js will not serialise a Date inside drizzle's sql``). */
export const iso = (date: Date) => date.toISOString();
