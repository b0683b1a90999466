import { badRequest } from '../domain/errors.js';

export interface CursorQuery {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

export interface CursorBounds {
  limit: number;
  /** Read rows recorded before this position (paging to older ones). */
  before: number | undefined;
  /** Read rows recorded after this position (paging to newer ones). */
  after: number | undefined;
}

/** A page is either older or newer than its cursor, never both. */
export function refuseBothCursors(query: CursorQuery): void {
  if (query.starting_after !== undefined && query.ending_before !== undefined) {
    throw badRequest('Use starting_after or ending_before, not both');
  }
}

/**
 * A newest-first list's cursor: `starting_after` pages to older rows, `ending_before` to newer ones,
 * each an id that `positionOf` turns into its row's recorded position (or refuses with a 400). The
 * caller has refused both at once (refuseBothCursors) before its other checks.
 */
export async function cursorBounds(
  query: CursorQuery,
  maxPage: number,
  positionOf: (id: string, field: 'starting_after' | 'ending_before') => Promise<number>,
): Promise<CursorBounds> {
  return {
    limit: Math.min(query.limit ?? 10, maxPage),
    before:
      query.starting_after === undefined
        ? undefined
        : await positionOf(query.starting_after, 'starting_after'),
    after:
      query.ending_before === undefined ? undefined : await positionOf(query.ending_before, 'ending_before'),
  };
}

/** One page from rows read one past the limit; pages toward newer rows come back oldest first, every page reads newest first. */
export function cursorPage<Row, View>(rows: Row[], bounds: CursorBounds, view: (row: Row) => View) {
  const page = rows.slice(0, bounds.limit);
  if (bounds.after !== undefined) page.reverse();
  return { data: page.map(view), has_more: rows.length > bounds.limit };
}
