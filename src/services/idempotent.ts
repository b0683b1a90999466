import { claimKey, findKey, storeResponse } from '../db/idempotency.js';
import { type Queryable, withTransaction } from '../db/pool.js';
import { DomainError } from '../domain/errors.js';
import type { Runtime } from '../runtime.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** What a creating operation produced: the exact bytes answered, and work to do once committed. */
export interface Created {
  status: number;
  body: string;
  afterCommit?: () => void;
}

export interface Answer {
  status: number;
  body: string;
  replayed: boolean;
}

export interface IdempotencyScope {
  merchantId: string;
  key: string | undefined;
  requestHash: string;
}

/**
 * Runs a creating operation at most once per (merchant, Idempotency-Key). The key is claimed in the
 * same transaction as the creation, so concurrent repeats wait on the row lock and then replay the
 * committed response byte for byte; an operation that throws (any 4xx) rolls back and stores nothing.
 */
export async function runIdempotent(
  rt: Runtime,
  scope: IdempotencyScope,
  create: (db: Queryable) => Promise<Created>,
): Promise<Answer> {
  if (scope.key === undefined) {
    const created = await create(rt.db);
    created.afterCommit?.();
    return { status: created.status, body: created.body, replayed: false };
  }
  const key = scope.key;
  const now = rt.clock.now();
  const outcome = await withTransaction(rt.db, async (client) => {
    const claimed = await claimKey(
      client,
      scope.merchantId,
      key,
      scope.requestHash,
      now,
      new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
    );
    if (!claimed) {
      const stored = await findKey(client, scope.merchantId, key);
      if (!stored) throw new Error('idempotency key vanished between claim and read');
      if (stored.request_hash !== scope.requestHash) {
        throw new DomainError(
          'IDEMPOTENCY_KEY_REUSED',
          'Idempotency-Key was already used with a different request body',
        );
      }
      return { kind: 'replay' as const, stored };
    }
    const created = await create(client);
    await storeResponse(client, scope.merchantId, key, created.status, created.body);
    return { kind: 'created' as const, created };
  });
  if (outcome.kind === 'replay') {
    return { status: outcome.stored.response_status, body: outcome.stored.response_body, replayed: true };
  }
  outcome.created.afterCommit?.();
  return { status: outcome.created.status, body: outcome.created.body, replayed: false };
}
