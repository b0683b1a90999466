import { TEST_MERCHANT } from '../db/seed.js';
import { DomainError } from '../domain/errors.js';
import { EVENT_TYPES } from '../domain/events.js';
import type { WebhookStatus } from '../domain/records.js';
import type { Runtime } from '../runtime.js';
import { merchantCredentials } from '../services/merchants.js';
import { listMerchantPayments } from '../services/payments.js';
import { getWebhook, getWebhookConfig, listWebhooks } from '../services/webhooks.js';
import type { SnippetValues } from './docs-snippets.js';
import { paymentStats, paymentVolume, VOLUME_DAYS } from './overview.js';
import { paymentDetail } from './payment-detail.js';
import type { DashboardSession } from './sessions.js';
import type { HomeData } from './views/home.js';
import { pageNumber } from './views/pagination.js';
import { PAYMENT_STATUSES, type TransactionsData } from './views/transactions.js';
import { WEBHOOK_STATUSES, type WebhooksData } from './views/webhooks.js';

/** What each server-rendered page shows, read through the same services as the public API. */
export const PAGE_SIZE = 20;

type Query = Record<string, string | undefined>;

const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | null =>
  values.includes(value as T) ? (value as T) : null;

/** A not-found from a service becomes the page's "not found" state; anything else is an error. */
async function orMissing<T>(id: string, load: () => Promise<T>): Promise<T | { missing: string }> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'NOT_FOUND_ERROR') return { missing: id };
    throw err;
  }
}

export async function homeData(rt: Runtime, merchantId: string): Promise<HomeData> {
  const [credentials, stats] = await Promise.all([
    merchantCredentials(rt, merchantId),
    paymentStats(rt, merchantId),
  ]);
  const currency = stats.amounts[0]?.currency ?? 'INR';
  const volume = await paymentVolume(rt, merchantId, VOLUME_DAYS.default, currency);
  return { credentials, stats, volume };
}

export async function transactionsData(
  rt: Runtime,
  merchantId: string,
  query: Query,
): Promise<TransactionsData> {
  const status = oneOf(PAYMENT_STATUSES, query.status);
  const page = pageNumber(query.page);
  const paymentId = query.payment?.slice(0, 64);
  const [list, detail] = await Promise.all([
    listMerchantPayments(rt, merchantId, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
      status: status ?? undefined,
    }),
    paymentId ? orMissing(paymentId, () => paymentDetail(rt, merchantId, paymentId)) : null,
  ]);
  return { list, status, page, detail };
}

export async function webhooksData(rt: Runtime, merchantId: string, query: Query): Promise<WebhooksData> {
  const filter = {
    status: oneOf(WEBHOOK_STATUSES, query.status),
    event: oneOf(EVENT_TYPES, query.event),
  };
  const page = pageNumber(query.page);
  const logId = query.log?.slice(0, 64);
  const [config, logs, detail] = await Promise.all([
    getWebhookConfig(rt, merchantId),
    listWebhooks(rt, merchantId, {
      status: (filter.status ?? undefined) as WebhookStatus | undefined,
      event: filter.event ?? undefined,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    }),
    logId ? orMissing(logId, () => getWebhook(rt, merchantId, logId)) : null,
  ]);
  return { config, logs, filter, page, detail };
}

/**
 * The docs' examples use the reader's own key. The secret is printed only when it is the public
 * test merchant's in test mode; a visitor who is not signed in sees the test merchant's key in test
 * mode, and placeholders otherwise.
 */
export async function snippetValues(rt: Runtime, session: DashboardSession | null): Promise<SnippetValues> {
  const urls = { apiUrl: rt.config.API_PUBLIC_URL, checkoutUrl: rt.config.CHECKOUT_PUBLIC_URL };
  const testMode = rt.config.TEST_MODE;
  if (!session) {
    return testMode
      ? { ...urls, apiKey: TEST_MERCHANT.api_key, apiSecret: TEST_MERCHANT.api_secret }
      : { ...urls, apiKey: 'YOUR_API_KEY', apiSecret: null };
  }
  const { api_key } = await merchantCredentials(rt, session.merchant.id);
  const publicSecret = testMode && session.merchant.id === TEST_MERCHANT.id ? TEST_MERCHANT.api_secret : null;
  return { ...urls, apiKey: api_key, apiSecret: publicSecret };
}
