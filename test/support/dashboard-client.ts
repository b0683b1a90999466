/**
 * A browser-like client of the dashboard for integration tests: keeps the session cookie, sends the
 * CSRF token and a same-origin Origin on state-changing requests, and can be told to misbehave.
 */
export interface DashboardResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  body: any;
}

export interface DashboardRequestOptions {
  body?: unknown;
  /** Defaults to the session's token; null sends none. */
  csrf?: string | null;
  /** Defaults to the base URL's origin; null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
  cookie?: string | null;
}

export class DashboardClient {
  cookie: string | null = null;
  csrf: string | null = null;

  constructor(readonly base: string) {}

  async request(
    method: string,
    path: string,
    options: DashboardRequestOptions = {},
  ): Promise<DashboardResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const cookie = options.cookie === undefined ? this.cookie : options.cookie;
    if (cookie) headers.Cookie = cookie;
    if (method !== 'GET') {
      const origin = options.origin === undefined ? new URL(this.base).origin : options.origin;
      if (origin) headers.Origin = origin;
      const csrf = options.csrf === undefined ? this.csrf : options.csrf;
      if (csrf) headers['X-CSRF-Token'] = csrf;
    }
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(this.base + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const setCookie = response.headers.get('set-cookie');
    if (setCookie?.startsWith('gw_session=')) {
      const value = setCookie.split(';')[0] ?? '';
      this.cookie = value === 'gw_session=' ? null : value;
    }
    return { status: response.status, headers: response.headers, text, body };
  }

  async login(email: string, password: string): Promise<DashboardResponse> {
    const response = await this.request('POST', '/dashboard/api/login', { body: { email, password } });
    if (response.status === 200) this.csrf = response.body.csrf_token;
    return response;
  }

  async signUp(name: string, email: string, password: string): Promise<DashboardResponse> {
    const response = await this.request('POST', '/dashboard/api/signup', { body: { name, email, password } });
    if (response.status === 201) this.csrf = response.body.csrf_token;
    return response;
  }

  page(path: string): Promise<DashboardResponse> {
    return this.request('GET', path);
  }
}

let counter = 0;

/** A unique email for a merchant signed up by a test. */
export function uniqueEmail(label = 'merchant'): string {
  counter += 1;
  return `${label}-${process.pid}-${Date.now()}-${counter}@example.com`;
}
