import { createHash } from 'node:crypto';
import { badRequest } from './errors.js';

/** No request the gateway understands nests deeper; a deeper one must not exhaust the stack. */
const MAX_DEPTH = 32;

/**
 * What an Idempotency-Key remembers of its request, to tell a repeat from a different request
 * under the same key. Card secrets take no part: the CVV is left out entirely and the card number
 * is reduced to its last four digits, so no stored fingerprint can be matched against guesses of
 * either. (Two requests that differ only there are treated as repeats: the first answer is replayed
 * and nothing is charged twice.)
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${stableStringify(withoutCardSecrets(body ?? null))}`)
    .digest('hex');
}

function withoutCardSecrets(body: unknown): unknown {
  if (!isObject(body) || !isObject(body.card)) return body;
  const { number, cvv: _cvv, ...card } = body.card;
  const digits = typeof number === 'string' ? number.replace(/\D/g, '') : '';
  return { ...body, card: { ...card, last4: digits.slice(-4) } };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** JSON with object keys sorted, so two requests meaning the same thing fingerprint the same. */
export function stableStringify(value: unknown, depth = 0): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (depth >= MAX_DEPTH) throw badRequest('Request body is nested too deeply');
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item, depth + 1)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v, depth + 1)}`).join(',')}}`;
}
