/**
 * Calls to the dashboard's own JSON endpoints: same origin, the session cookie sent by the browser,
 * the page's CSRF token on every state-changing request. API credentials are never kept by the page.
 */
export class DashboardApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly field?: string,
  ) {
    super(description);
    this.name = 'DashboardApiError';
  }
}

const TIMEOUT_MS = 15_000;

function csrfToken(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';
}

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  idempotencyKey?: string;
}

export async function callDashboard<T>(path: string, options: CallOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-CSRF-Token'] = csrfToken();
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch(`/dashboard/api${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: abort.signal,
    });
  } catch {
    throw new DashboardApiError(
      0,
      'NETWORK_ERROR',
      'The gateway could not be reached. Check your connection and try again.',
    );
  } finally {
    clearTimeout(timer);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (response.ok) return body as T;
  const error = (body as { error?: { code?: string; description?: string; field?: string } } | undefined)
    ?.error;
  if (response.status === 401 && !path.startsWith('/login')) {
    // The session ended (expired, or signed out in another tab): sign in again and come back here.
    window.location.assign(
      `/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`,
    );
  }
  throw new DashboardApiError(
    response.status,
    error?.code ?? 'HTTP_ERROR',
    error?.description ?? `The gateway answered ${response.status}. Try again.`,
    error?.field,
  );
}

export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dashboard-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}
