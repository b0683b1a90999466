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
