import { escapeHtml } from '../checkout/web-assets.js';

/**
 * Server-side HTML with escaping by default: every value interpolated into an `html` template is
 * escaped unless it is itself the output of `html` (or deliberately marked with `trusted`). Arrays
 * are joined, and null, undefined and false render as nothing, so conditionals read naturally.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return new Html(out);
}

/** Markup that is known to be safe (built here, never from input). */
export const trusted = (text: string) => new Html(text);

/** `name="value"` pairs; a false or null attribute is left out, `true` renders bare. */
export function attrs(pairs: Record<string, string | number | boolean | null | undefined>): Html {
  return new Html(
    Object.entries(pairs)
      .filter(([, value]) => value !== false && value !== null && value !== undefined)
      .map(([name, value]) => (value === true ? ` ${name}` : ` ${name}="${escapeHtml(String(value))}"`))
      .join(''),
  );
}
