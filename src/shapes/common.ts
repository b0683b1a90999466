import { type TObject, type TProperties, type TSchema, Type } from 'typebox';

/**
 * The building blocks of every shape. A shape is one TypeBox schema: it validates input (or
 * serialises output, in its property order), documents itself in the OpenAPI document, and types the
 * view functions that build it, so a field is declared once.
 */
export const Timestamp = Type.String({ format: 'date-time', examples: ['2024-01-15T10:31:00.000Z'] });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Some properties of an object shape, in the order given (which is the order answered in). */
export function fieldsOf<T extends TProperties, const K extends keyof T & string>(
  shape: TObject<T>,
  keys: readonly K[],
) {
  return Object.fromEntries(keys.map((key) => [key, shape.properties[key]])) as { [P in K]: T[P] };
}

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    description: Type.String(),
    field: Type.Optional(Type.String()),
    request_id: Type.Optional(Type.String()),
  }),
});

/** Standard error responses a route can give, for the OpenAPI document. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));

export const IdParams = Type.Object({ id: Type.String({ maxLength: 256 }) });

/** Offset lists take `limit` (default 10, capped at 100 rather than refused) and `offset` (default 0). */
export const DEFAULT_PAGE_SIZE = 10;
export const MAX_PAGE_SIZE = 100;

export function pageOf(query: { limit?: number; offset?: number }): { limit: number; offset: number } {
  return { limit: Math.min(query.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE), offset: query.offset ?? 0 };
}

const Limit = Type.Integer({
  minimum: 1,
  default: DEFAULT_PAGE_SIZE,
  description: `At most ${MAX_PAGE_SIZE}; larger values are capped`,
});

export const PaginationQuery = {
  limit: Type.Optional(Limit),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
};

export const PageQuery = Type.Object(PaginationQuery, { additionalProperties: false });

/** The `{data, total, limit, offset}` envelope of every offset list. */
export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    data: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });

/** Cursor lists (`{data, has_more}`) take `limit` and the id to start after. */
export const CursorLimit = Type.Optional(Limit);
export const Cursor = (what: string) => Type.String({ maxLength: 64, description: `The id of ${what}` });
export const CursorPage = <T extends TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), has_more: Type.Boolean() });

/**
 * Headers of every POST that creates something. The key itself is checked by the route (printable
 * ASCII, 1 to 255 characters), so that a bad key is answered in the same words on every route; the
 * schema documents it in the OpenAPI document and gives the typed client its header.
 */
export const IdempotentHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description:
        'Makes a retry safe: a repeat with the same key and body gets the first answer again (Idempotent-Replayed: true); the same key with another body is refused with 422',
      examples: ['9f1c2e64-7b1d-4c55-a3b0-2f6f1d0c8e21'],
    }),
  ),
});
