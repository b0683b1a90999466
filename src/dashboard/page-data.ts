import { TEST_MERCHANT } from '../db/seed.js';
import { DomainError } from '../domain/errors.js';
import { EVENT_TYPES } from '../domain/events.js';
import type { WebhookStatus } from '../domain/records.js';
import type { Runtime } from '../runtime.js';
import { merchantCredentials } from '../services/merchants.js';
import { parsePaymentFilter, searchMerchantPayments } from '../services/payment-search.js';
import { listMerchantPayments } from '../services/payments.js';
import { getRequestLog, listRequestLogs } from '../services/request-logs.js';
import { getWebhook, getWebhookConfig, listWebhooks } from '../services/webhooks.js';
import type { SnippetValues } from './docs-snippets.js';
import { paymentStats, paymentVolume, VOLUME_DAYS } from './overview.js';
import { paymentDetail } from './payment-detail.js';
import type { DashboardSession } from './sessions.js';
import type { HomeData } from './views/home.js';
import { LOG_METHODS, LOG_STATUSES, type LogsData } from './views/logs.js';
import { pageNumber } from './views/pagination.js';
import type { TransactionsData } from './views/transactions.js';
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

const RECENT_PAYMENTS = 5;

export async function homeData(runtime: Runtime, merchantId: string): Promise<HomeData> {
  const [credentials, stats, recent, config, delivered] = await Promise.all([
    merchantCredentials(runtime, merchantId),
    paymentStats(runtime, merchantId),
    listMerchantPayments(runtime, merchantId, { limit: RECENT_PAYMENTS, offset: 0 }),
    getWebhookConfig(runtime, merchantId),
    listWebhooks(runtime, merchantId, { status: 'success', limit: 1, offset: 0 }),
  ]);
  const currency = stats.amounts[0]?.currency ?? 'INR';
  const volume = await paymentVolume(runtime, merchantId, VOLUME_DAYS.default, currency);
  const progress = {
    webhookUrlSet: config.webhook_url !== null,
    paymentMade: stats.total_transactions > 0,
    webhookDelivered: delivered.total > 0,
  };
  return { credentials, stats, volume, recent: recent.data, progress };
}

export async function transactionsData(
  runtime: Runtime,
  merchantId: string,
  query: Query,
): Promise<TransactionsData> {
  let parsed: ReturnType<typeof parsePaymentFilter>;
  let filterError: string | null = null;
  try {
    parsed = parsePaymentFilter(query);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    // A hand-edited link: say what is wrong with it, and show every payment meanwhile.
    filterError = err.message;
    parsed = parsePaymentFilter({});
  }
  const page = pageNumber(query.page);
  const paymentId = query.payment?.slice(0, 64);
  const [list, detail] = await Promise.all([
    searchMerchantPayments(runtime, merchantId, parsed.search, {
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    }),
    paymentId ? orMissing(paymentId, () => paymentDetail(runtime, merchantId, paymentId)) : null,
  ]);
  return {
    list,
    filter: parsed.filter,
    filterError,
    page,
    detail,
    eventRetentionDays: runtime.config.EVENT_RETENTION_DAYS,
  };
}

export async function webhooksData(
  runtime: Runtime,
  merchantId: string,
  query: Query,
): Promise<WebhooksData> {
  const filter = {
    status: oneOf(WEBHOOK_STATUSES, query.status),
    event: oneOf(EVENT_TYPES, query.event),
  };
  const page = pageNumber(query.page);
  const logId = query.log?.slice(0, 64);
  const [config, logs, detail] = await Promise.all([
    getWebhookConfig(runtime, merchantId),
    listWebhooks(runtime, merchantId, {
      status: (filter.status ?? undefined) as WebhookStatus | undefined,
      event: filter.event ?? undefined,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    }),
    logId ? orMissing(logId, () => getWebhook(runtime, merchantId, logId)) : null,
  ]);
  return { config, logs, filter, page, detail };
}

export async function logsData(runtime: Runtime, merchantId: string, query: Query): Promise<LogsData> {
  const path = query.path?.trim().slice(0, 200);
  const filter = {
    status: oneOf(LOG_STATUSES, query.status),
    method: oneOf(LOG_METHODS, query.method),
    path: path?.startsWith('/') ? path : null,
  };
  const after = /^req_[A-Za-z0-9]{16}$/.test(query.after ?? '') ? (query.after as string) : null;
  const logId = query.log?.slice(0, 64);
  const list = (starting_after: string | undefined) =>
    listRequestLogs(runtime, merchantId, {
      status: filter.status ?? undefined,
      method: filter.method ?? undefined,
      path: filter.path ?? undefined,
      limit: PAGE_SIZE,
      starting_after,
    });
  const [page, detail] = await Promise.all([
    // A cursor that is no longer there (past retention) shows the newest page.
    list(after ?? undefined).catch((err: unknown) => {
      if (err instanceof DomainError && err.code === 'BAD_REQUEST_ERROR') return list(undefined);
      throw err;
    }),
    logId ? orMissing(logId, () => getRequestLog(runtime, merchantId, logId)) : null,
  ]);
  return { list: page, filter, after, detail };
}

/**
 * The docs' examples use the reader's own key. The secret is printed only when it is the public
 * test merchant's in test mode; a visitor who is not signed in sees the test merchant's key in test
 * mode, and placeholders otherwise.
 */
export async function snippetValues(
  runtime: Runtime,
  session: DashboardSession | null,
): Promise<SnippetValues> {
  const urls = { apiUrl: runtime.config.API_PUBLIC_URL, checkoutUrl: runtime.config.CHECKOUT_PUBLIC_URL };
  const testMode = runtime.config.TEST_MODE;
  if (!session) {
    return testMode
      ? { ...urls, apiKey: TEST_MERCHANT.api_key, apiSecret: TEST_MERCHANT.api_secret }
      : { ...urls, apiKey: 'YOUR_API_KEY', apiSecret: null };
  }
  const { api_key, api_secret } = await merchantCredentials(runtime, session.merchant.id);
  return { ...urls, apiKey: api_key, apiSecret: api_secret };
}
