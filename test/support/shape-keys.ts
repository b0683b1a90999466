import type { TObject } from 'typebox';

/**
 * The keys an answer of this shape has, in the order the shape gives them; optional keys only when
 * `answer` has them (a UPI payment carries no card fields). Tests read expected keys from here, so a
 * shape is declared once; test/unit/api-shapes.test.ts pins the published shapes themselves.
 */
export function keysOf(shape: TObject, answer?: object): string[] {
  const optional = new Set(
    shape.required ? Object.keys(shape.properties).filter((k) => !shape.required?.includes(k)) : [],
  );
  return Object.keys(shape.properties).filter(
    (key) => !optional.has(key) || (answer !== undefined && key in answer),
  );
}
