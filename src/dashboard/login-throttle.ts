import { createHash } from 'node:crypto';
import { clientKey } from '../domain/client-key.js';
import type { Runtime } from '../runtime.js';
import { ClientLimit } from '../services/client-limit.js';

/**
 * Failed sign-ins, counted in Redis (so every API process sees the same counts). Deliberately small:
 * it slows password guessing against one account from one client (key: client + email) and spraying
 * from one client (key: client); general rate limiting is a separate concern. A client is its IPv4
 * address or its IPv6 /64; the email enters a key only as a hash.
 */
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

type LimitRuntime = Pick<Runtime, 'counters' | 'config' | 'log'>;

/** The two counters a sign-in consults: one account from one client, and one client overall. */
export class LoginThrottle {
  private readonly perAccount: ClientLimit;
  private readonly perClient: ClientLimit;

  constructor(runtime: LimitRuntime) {
    this.perAccount = new ClientLimit(runtime, {
      name: 'sign-in-account',
      limit: 10,
      windowMs: FIFTEEN_MINUTES,
    });
    this.perClient = new ClientLimit(runtime, {
      name: 'sign-in-client',
      limit: 100,
      windowMs: FIFTEEN_MINUTES,
    });
  }

  /** Milliseconds until this client may try this email again, or 0 when it may try now. */
  async retryAfterMs(ip: string, email: string): Promise<number> {
    const [account, client] = await Promise.all([
      this.perAccount.blockedForMs(accountKey(ip, email)),
      this.perClient.blockedForMs(clientKey(ip)),
    ]);
    return Math.max(account, client);
  }

  async fail(ip: string, email: string): Promise<void> {
    await Promise.all([this.perAccount.count(accountKey(ip, email)), this.perClient.count(clientKey(ip))]);
  }

  async succeed(ip: string, email: string): Promise<void> {
    await this.perAccount.clear(accountKey(ip, email));
  }
}

/** Sign-ups per client: every attempt counts, so "email already taken" cannot be probed at leisure. */
export class SignUpThrottle {
  private readonly attempts: ClientLimit;

  constructor(runtime: LimitRuntime) {
    this.attempts = new ClientLimit(runtime, { name: 'sign-up', limit: 20, windowMs: HOUR });
  }

  /** Counts this attempt; milliseconds to wait when it is one too many, else 0. */
  attempt(ip: string): Promise<number> {
    return this.attempts.take(clientKey(ip));
  }
}

function accountKey(ip: string, email: string): string {
  const account = createHash('sha256').update(email.trim().toLowerCase()).digest('base64url');
  return `${clientKey(ip)}:${account}`;
}
