/**
 * Failed sign-ins counted per key in a fixed window, in this process's memory. Deliberately small:
 * it slows password guessing against one account (key: IP + email) and spraying from one address
 * (key: IP); general rate limiting is a separate concern.
 */
export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

interface Window {
  failures: number;
  resetAt: number;
}

const MAX_TRACKED_KEYS = 50_000;

export class FailureThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly rule: ThrottleRule) {}

  /** Milliseconds until this key may try again, or 0 when it may try now. */
  retryAfterMs(key: string, now: number): number {
    const window = this.windows.get(key);
    if (!window) return 0;
    if (window.resetAt <= now) {
      this.windows.delete(key);
      return 0;
    }
    return window.failures >= this.rule.limit ? window.resetAt - now : 0;
  }

  fail(key: string, now: number): void {
    const window = this.windows.get(key);
    if (window && window.resetAt > now) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= MAX_TRACKED_KEYS) this.prune(now);
    this.windows.set(key, { failures: 1, resetAt: now + this.rule.windowMs });
  }

  clear(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Still full of live windows (a flood of distinct keys): start over rather than grow unbounded.
    if (this.windows.size >= MAX_TRACKED_KEYS) this.windows.clear();
  }
}

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** The two counters a sign-in consults: one account from one address, and one address overall. */
export class LoginThrottle {
  private readonly perAccount = new FailureThrottle({ limit: 10, windowMs: FIFTEEN_MINUTES });
  private readonly perAddress = new FailureThrottle({ limit: 100, windowMs: FIFTEEN_MINUTES });

  retryAfterMs(ip: string, email: string, now: number): number {
    return Math.max(
      this.perAccount.retryAfterMs(accountKey(ip, email), now),
      this.perAddress.retryAfterMs(ip, now),
    );
  }

  fail(ip: string, email: string, now: number): void {
    this.perAccount.fail(accountKey(ip, email), now);
    this.perAddress.fail(ip, now);
  }

  succeed(ip: string, email: string): void {
    this.perAccount.clear(accountKey(ip, email));
  }
}

const accountKey = (ip: string, email: string) => `${ip}\n${email.trim().toLowerCase()}`;
