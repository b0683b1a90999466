import { createHash, randomBytes } from 'node:crypto';
import { sharedSecret } from '../db/gateway-secrets.js';
import type { Runtime } from '../runtime.js';

const SECRET_NAME = 'dashboard-session-signing';

/**
 * The key that signs session cookies. SESSION_SECRET when configured; otherwise one generated once
 * and kept in the database, so every API process (and every restart) signs and checks with the same
 * key. Loaded on first use, so the API starts even while the database is briefly unreachable; a
 * failed load is retried on the next request.
 */
export function sessionKeyLoader(runtime: Runtime): () => Promise<Buffer> {
  const configured = runtime.config.SESSION_SECRET;
  if (configured) {
    const key = deriveKey(configured);
    return async () => key;
  }
  let loading: Promise<Buffer> | undefined;
  return () => {
    loading ??= loadStoredSecret(runtime).catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}

function deriveKey(secret: string): Buffer {
  return createHash('sha256').update(`dashboard-session:${secret}`).digest();
}

async function loadStoredSecret(runtime: Runtime): Promise<Buffer> {
  return deriveKey(await sharedSecret(runtime.db, SECRET_NAME, randomBytes(32).toString('base64url')));
}
