import { randomBytes } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Largest multiple of 62 below 256: bytes at or above it are rejected so every character is uniform.
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/** A cryptographically random string of [A-Za-z0-9], without modulo bias. */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length + 8)) {
      if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % ALPHABET.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export const ID_PREFIXES = {
  order: 'order_',
  payment: 'pay_',
  refund: 'rfnd_',
  event: 'evt_',
  endpoint: 'we_',
  requestLog: 'req_',
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

export const newId = (kind: IdKind): string => ID_PREFIXES[kind] + randomAlphanumeric(16);

const ID_PATTERNS = Object.fromEntries(
  Object.entries(ID_PREFIXES).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}[A-Za-z0-9]{16}$`)]),
) as Record<IdKind, RegExp>;

/** Malformed ids are answered like unknown ones (404), so callers check the shape before any query. */
export const isId = (kind: IdKind, value: string): boolean => ID_PATTERNS[kind].test(value);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
