import { findActiveMerchantByApiKey } from '../db/merchants.js';
import type { Pool } from '../db/pool.js';
import { merchantMayAct } from '../db/seed.js';
import { apiSecretMatches, UNKNOWN_KEY_SECRET_HASH } from '../domain/api-secrets.js';

/** Who a request acts for, whichever way it was authenticated. */
export interface MerchantIdentity {
  id: string;
  name: string;
}

/**
 * Checks X-Api-Key / X-Api-Secret. Every attempt costs the same whatever it presents: one lookup
 * (nothing is cached, so there is no hit or miss to time, and a deactivation or a new secret counts
 * at once), then one hash of the presented secret compared in constant time with the stored hash,
 * or with a hash nothing matches when the key is unknown. The answer is decided only after both.
 */
export class Authenticator {
  constructor(
    private readonly db: Pool,
    private readonly testMode: boolean,
  ) {}

  /** The merchant owning this key/secret pair, or null. */
  async authenticate(apiKey: string, apiSecret: string): Promise<MerchantIdentity | null> {
    const merchant = await findActiveMerchantByApiKey(this.db, apiKey);
    const matches = apiSecretMatches(merchant?.api_secret_hash ?? UNKNOWN_KEY_SECRET_HASH, apiSecret);
    const mayAct = merchant !== null && merchantMayAct(merchant.id, this.testMode);
    if (!(matches && mayAct)) return null;
    return { id: merchant.id, name: merchant.name };
  }
}
