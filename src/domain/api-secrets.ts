import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomAlphanumeric } from './ids.js';

/**
 * API secrets are random 32-character strings (about 190 bits), so a plain SHA-256 is enough to
 * store them: there is nothing to brute-force that a slow hash would protect. Only the hash is kept;
 * the secret itself is shown once, when it is created or regenerated.
 */
export function newApiSecret(): string {
  return `secret_test_${randomAlphanumeric(32)}`;
}

/** The stored form of an API secret: SHA-256, hex. */
export function hashApiSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Compared against when a key is unknown, so that an unknown key costs exactly what a wrong secret
 * costs. It is the hash of random bytes nobody ever sees: matching it would take a SHA-256 preimage.
 */
export const UNKNOWN_KEY_SECRET_HASH = hashApiSecret(randomBytes(32).toString('hex'));

/**
 * True when `presented` hashes to `storedHash`. The presented secret is always hashed and the two
 * 32-byte digests always compared in constant time, whatever either side looks like.
 */
export function apiSecretMatches(storedHash: string, presented: string): boolean {
  const expected = Buffer.alloc(32);
  const written = expected.write(storedHash, 'hex');
  const given = createHash('sha256').update(presented, 'utf8').digest();
  // A malformed stored hash writes fewer bytes; it is still compared, and then refused.
  return timingSafeEqual(expected, given) && written === 32;
}
