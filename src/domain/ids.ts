import { randomBytes, randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
// Largest multiple of 62 below 256: bytes at or above it are rejected so every character is uniform.
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

function alphanumeric(length: number, nextByte: () => number): string {
  let out = '';
  while (out.length < length) {
    const byte = nextByte();
    if (byte < UNBIASED_LIMIT) out += ALPHABET[byte % ALPHABET.length];
  }
  return out;
}

/** A cryptographically random string of [A-Za-z0-9], without modulo bias, drawn fresh (for secrets). */
export function randomAlphanumeric(length: number): string {
  let bytes = randomBytes(length + 8);
  let next = 0;
  return alphanumeric(length, () => {
    if (next === bytes.length) {
      bytes = randomBytes(length + 8);
      next = 0;
    }
    return bytes[next++] as number;
  });
}

// Ids come from a pool of the same cryptographic randomness refilled 4 KiB at a time: one call into
// the generator per ~200 ids instead of one per id (that call was 5 % of the API's CPU on a read,
// which makes a request-log id). Secrets never come from the pool, so no future secret waits in memory.
const ID_POOL = Buffer.allocUnsafe(4096);
let idPoolOffset = ID_POOL.length;
function pooledByte(): number {
  if (idPoolOffset === ID_POOL.length) {
    randomFillSync(ID_POOL);
    idPoolOffset = 0;
  }
  return ID_POOL[idPoolOffset++] as number;
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

export const newId = (kind: IdKind): string => ID_PREFIXES[kind] + alphanumeric(16, pooledByte);

const ID_PATTERNS = Object.fromEntries(
  Object.entries(ID_PREFIXES).map(([kind, prefix]) => [kind, new RegExp(`^${prefix}[A-Za-z0-9]{16}$`)]),
) as Record<IdKind, RegExp>;

/** Malformed ids are answered like unknown ones (404), so callers check the shape before any query. */
export const isId = (kind: IdKind, value: string): boolean => ID_PATTERNS[kind].test(value);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);
