import {
  findStoredAnswer,
  forgetExpiredKey,
  type IdempotencyClaim,
  IdempotencyKeyTaken,
} from '../db/idempotency.js';
import { DomainError } from '../domain/errors.js';
import type { Runtime } from '../runtime.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** The exact bytes a creating request is answered with. */
export interface Answer {
  status: number;
  body: string;
  replayed: boolean;
}

/** An Idempotency-Key as the request carried it, in its namespace, with its request's fingerprint. */
export interface IdempotencyRequest {
  merchantId: string;
  key: string | undefined;
  fingerprint: string;
}

/** Builds the claim a creating statement stores with its answer (absent without a key). */
export type ClaimOf = ((status: number, body: string) => IdempotencyClaim) | undefined;

/**
 * Runs a creation at most once per (merchant, key). `create` writes everything in one statement,
 * passing `claimOf(status, body)` along when a key was sent; that statement fails with
 * IdempotencyKeyTaken when the key exists, and then the stored answer is replayed (or, for another
 * request under the same key, refused). A refused creation (a 4xx) is replayed too when its key
 * already holds an answer: the repeat of a full refund must get the refund, not "exceeds available".
 */
export async function createOnce(
  runtime: Runtime,
  request: IdempotencyRequest,
  create: (claimOf: ClaimOf) => Promise<{ status: number; body: string }>,
): Promise<Answer> {
  const { key } = request;
  if (key === undefined) return { ...(await create(undefined)), replayed: false };
  const claimOf = (status: number, body: string): IdempotencyClaim => {
    const createdAt = runtime.clock.now();
    return {
      merchantId: request.merchantId,
      key,
      fingerprint: request.fingerprint,
      status,
      body,
      createdAt,
      expiresAt: new Date(createdAt.getTime() + IDEMPOTENCY_TTL_MS),
    };
  };
  // A key that expired is forgotten and claimed again; twice is plenty.
  for (let tries = 0; tries < 3; tries++) {
    try {
      return { ...(await create(claimOf)), replayed: false };
    } catch (err) {
      if (!(err instanceof IdempotencyKeyTaken || err instanceof DomainError)) throw err;
      const stored = await findStoredAnswer(runtime.db, request.merchantId, key);
      const now = runtime.clock.now();
      if (stored && stored.expires_at > now) {
        if (stored.fingerprint !== request.fingerprint) {
          throw new DomainError(
            'IDEMPOTENCY_KEY_REUSED',
            'Idempotency-Key was already used with a different request body',
          );
        }
        return { status: stored.status, body: stored.body, replayed: true };
      }
      if (err instanceof DomainError) throw err;
      if (stored) await forgetExpiredKey(runtime.db, request.merchantId, key, now);
    }
  }
  throw new Error('could not claim an idempotency key');
}
