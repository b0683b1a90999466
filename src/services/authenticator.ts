import { findMerchantByApiKey } from '../db/merchants.js';
import type { Pool } from '../db/pool.js';
import type { MerchantRecord } from '../domain/records.js';
import { safeEqual } from '../domain/signing.js';

export interface MerchantIdentity {
  id: string;
  name: string;
  api_key: string;
}

interface CacheEntry {
  merchant: MerchantRecord;
  expiresAt: number;
}

// An api key names a merchant for good and its secret is not rotated through the API, so a short
// cache is safe; it spares a query on every authenticated request. Unknown keys are not cached.
const CACHE_TTL_MS = 10_000;
const CACHE_MAX = 10_000;
const DUMMY_SECRET = 'secret_never_matches_anything_000000';

export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();

  constructor(private readonly db: Pool) {}

  /** The merchant owning this key/secret pair, or null. The secret is compared in constant time. */
  async authenticate(apiKey: string, apiSecret: string): Promise<MerchantIdentity | null> {
    const merchant = await this.lookup(apiKey);
    // Compare even for unknown keys, so timing does not reveal which keys exist.
    const matches = safeEqual(merchant?.api_secret ?? DUMMY_SECRET, apiSecret);
    if (!merchant || !matches) return null;
    return { id: merchant.id, name: merchant.name, api_key: merchant.api_key };
  }

  forget(apiKey: string): void {
    this.cache.delete(apiKey);
  }

  private async lookup(apiKey: string): Promise<MerchantRecord | null> {
    const now = Date.now();
    const hit = this.cache.get(apiKey);
    if (hit && hit.expiresAt > now) return hit.merchant;
    const merchant = await findMerchantByApiKey(this.db, apiKey);
    if (merchant) {
      if (this.cache.size >= CACHE_MAX) this.cache.clear();
      this.cache.set(apiKey, { merchant, expiresAt: now + CACHE_TTL_MS });
    }
    return merchant;
  }
}
