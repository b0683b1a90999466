import { createHash, randomBytes } from 'node:crypto';
import type { Runtime } from '../runtime.js';

const SECRET_NAME = 'dashboard-session-signing';

/**
 * The key that signs session cookies. SESSION_SECRET when configured; otherwise one generated once
 * and kept in the database, so every API process (and every restart) signs and checks with the same
 * key. Loaded on first use, so the API starts even while the database is briefly unreachable; a
 * failed load is retried on the next request.
 */
export function sessionKeyLoader(rt: Runtime): () => Promise<Buffer> {
  const configured = rt.config.SESSION_SECRET;
  if (configured) {
    const key = deriveKey(configured);
    return async () => key;
  }
  let loading: Promise<Buffer> | undefined;
  return () => {
    loading ??= loadStoredSecret(rt).catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}

function deriveKey(secret: string): Buffer {
  return createHash('sha256').update(`dashboard-session:${secret}`).digest();
}

async function loadStoredSecret(rt: Runtime): Promise<Buffer> {
  // The first process to get here stores its candidate; everyone reads back the one that won.
  await rt.db.query({
    text: 'INSERT INTO gateway_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING',
    values: [SECRET_NAME, randomBytes(32).toString('base64url')],
  });
  const stored = await rt.db.query<{ value: string }>({
    text: 'SELECT value FROM gateway_secrets WHERE name = $1',
    values: [SECRET_NAME],
  });
  const value = stored.rows[0]?.value;
  if (!value) throw new Error('session signing secret missing after insert');
  return deriveKey(value);
}
