/**
 * What the request log may keep of a request or response body: the same JSON with every secret
 * replaced and every card number cut to its last four digits. Applied before anything is written.
 * A `card` object keeps its number only as `last4` — the field itself is gone, as it is from every
 * other stored row — so a dump of the log reads like the payments it records.
 */
export const REDACTED = '[redacted]';

/** Keys whose values are secrets wherever they appear (API and webhook secrets, passwords). */
const SECRET_KEY = /secret|password|passphrase|authorization|token|cookie/i;

/** A card's verification code leaves no trace at all, not even the name of its field. */
const VERIFICATION_CODE_KEY = /cvv|cvc|security_code/i;

/** Deeper than any real request: what lies below is not kept (and the walk never runs out of stack). */
const MAX_DEPTH = 32;
export const TRUNCATED = '[truncated]';

/** 13 to 19 digits, optionally grouped by spaces or dashes: what a card number looks like in text. */
const CARD_NUMBER_IN_TEXT = /(?<![\dA-Za-z_])\d(?:[ -]?\d){12,18}(?![\dA-Za-z_])/g;

/** `************1111`: nothing of a card number but its last four digits. */
export function maskCardNumber(value: string): string {
  const digits = value.replace(/\D/g, '');
  return `${'*'.repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

function lastFour(value: unknown): string {
  return String(value).replace(/\D/g, '').slice(-4);
}

function redactText(text: string): string {
  return text.replace(CARD_NUMBER_IN_TEXT, maskCardNumber);
}

export function redact(value: unknown, parentKey = '', depth = 0): unknown {
  if (depth > MAX_DEPTH) return TRUNCATED;
  if (typeof value === 'string') {
    return parentKey === 'card' ? maskCardNumber(value) : redactText(value);
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) > 1e12 ? maskCardNumber(String(value)) : value;
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, '', depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (VERIFICATION_CODE_KEY.test(key)) continue;
      if (SECRET_KEY.test(key)) out[key] = item === null ? null : REDACTED;
      else if (parentKey === 'card' && key === 'number') out.last4 = lastFour(item);
      else out[key] = redact(item, Array.isArray(item) ? '' : key, depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * Anything in JSON text that redact() could change, and more: a secret-like or verification-code-like
 * word, a `card` key, what looks like a card number, thirteen digits in a row (a large number), a
 * number in exponent form, or any escape (which could spell a key, or hide a card number's edge). A
 * number in exponent form is looked for only where a JSON number can begin (after `:`, `,` or `[`):
 * ids such as the test merchant's `550e8400-…` hold a digit, an `e` and a digit in every response.
 * Text without one is kept as it is, unparsed: most request log entries (a payment's answer, an order)
 * never need the walk.
 */
const MIGHT_NEED_REDACTION = new RegExp(
  [
    SECRET_KEY.source,
    VERIFICATION_CODE_KEY.source,
    '"card"',
    CARD_NUMBER_IN_TEXT.source,
    '\\d{13}',
    '[:,\\[]\\s*-?\\d+(?:\\.\\d+)?[eE]',
    '\\\\',
  ].join('|'),
  'i',
);

/**
 * A response body as the request log stores it, redacted; null when it is not JSON (or is JSON null). The caller passes
 * only bodies its JSON serializer wrote (an object or array) — those are kept as sent when nothing in
 * them could need redacting; anything else is parsed first.
 */
export function redactedJsonText(text: string): string | null {
  if (!MIGHT_NEED_REDACTION.test(text) && (text.startsWith('{') || text.startsWith('['))) return text;
  try {
    const value: unknown = JSON.parse(text);
    return value === null ? null : JSON.stringify(redact(value));
  } catch {
    return null; // not JSON: nothing the log shows
  }
}
