/** The three public endpoints the hosted checkout page talks to, and how their failures look. */
export interface PublicOrder {
  id: string;
  amount: number;
  currency: string;
  status: string;
  merchant_name: string;
  /** Where the merchant wants the buyer back after paying on the hosted page; absent on older APIs. */
  callback_url?: string | null;
}

export type PaymentStatus = 'pending' | 'success' | 'failed';

export interface PublicPayment {
  id: string;
  order_id: string;
  amount: number;
  currency: string;
  method: 'upi' | 'card';
  status: PaymentStatus;
  error_code: string | null;
  error_description: string | null;
}

export type PaymentRequest =
  | { order_id: string; method: 'upi'; vpa: string }
  | {
      order_id: string;
      method: 'card';
      card: { number: string; expiry_month: string; expiry_year: string; cvv: string; holder_name?: string };
    };

/** The API answered with its error format. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    /** The request field the API blamed, e.g. `card.cvv`. */
    readonly field?: string,
  ) {
    super(description);
    this.name = 'ApiError';
  }
}

/** No answer at all: network down, API stopped, blocked, or too slow. */
export class ApiUnreachable extends Error {
  constructor(readonly url: string) {
    super(`Could not reach ${url}`);
    this.name = 'ApiUnreachable';
  }
}

const REQUEST_TIMEOUT_MS = 15_000;

export interface ApiClient {
  getOrder(orderId: string): Promise<PublicOrder>;
  createPayment(
    body: PaymentRequest,
    options: { idempotencyKey: string; apiKey?: string },
  ): Promise<PublicPayment>;
  getPayment(paymentId: string): Promise<PublicPayment>;
}

export function createApiClient(baseUrl: string): ApiClient {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    getOrder: (orderId) => call(`${base}/api/v1/orders/${encodeURIComponent(orderId)}/public`),
    getPayment: (paymentId) => call(`${base}/api/v1/payments/${encodeURIComponent(paymentId)}/public`),
    createPayment: (body, options) => {
      const headers: Record<string, string> = {
        'Content-Type': 'application/json',
        'Idempotency-Key': options.idempotencyKey,
      };
      if (options.apiKey) headers['X-Api-Key'] = options.apiKey;
      return call(`${base}/api/v1/payments/public`, { method: 'POST', headers, body: JSON.stringify(body) });
    },
  };
}

async function call<T>(url: string, init: RequestInit = {}): Promise<T> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(url, { ...init, signal: abort.signal, credentials: 'omit', cache: 'no-store' });
    body = await response.json().catch(() => undefined);
  } catch {
    throw new ApiUnreachable(url);
  } finally {
    clearTimeout(timer);
  }
  if (response.ok && body !== undefined) return body as T;
  const error = (body as { error?: { code?: unknown; description?: unknown; field?: unknown } } | undefined)
    ?.error;
  if (typeof error?.code === 'string') {
    const field = typeof error.field === 'string' ? error.field : undefined;
    throw new ApiError(response.status, error.code, String(error.description ?? error.code), field);
  }
  // Not the API's error format: a proxy or gateway in between failed.
  if (response.status >= 500) throw new ApiUnreachable(url);
  throw new ApiError(response.status, 'UNEXPECTED_RESPONSE', `Unexpected answer (HTTP ${response.status})`);
}
