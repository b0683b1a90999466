/**
 * Counts events per key in fixed windows, in memory: the building block of the per-client rate
 * limits and the sign-in throttle. Bounded: past `maxKeys` live windows it forgets rather than grows.
 */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds until `key` may go on, or 0 when it is under the limit. */
  blockedForMs(key: string, now: number): number {
    const window = this.windows.get(key);
    if (!window) return 0;
    if (window.resetAt <= now) {
      this.windows.delete(key);
      return 0;
    }
    return window.count >= this.limit ? window.resetAt - now : 0;
  }

  count(key: string, now: number): void {
    const window = this.windows.get(key);
    if (window && window.resetAt > now) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= this.maxKeys) this.prune(now);
    this.windows.set(key, { count: 1, resetAt: now + this.windowMs });
  }

  /** Forgets a key's window (e.g. after a successful sign-in). */
  clear(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: number): void {
    for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    // Still full of live windows (a flood of distinct addresses): forget them rather than grow unbounded.
    if (this.windows.size >= this.maxKeys) this.windows.clear();
  }
}
