import { createHash, randomBytes } from 'node:crypto';
import { fastifyCookie } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  deleteExpiredSessions,
  deleteSession,
  findSession,
  insertSession,
  touchSession,
} from '../db/dashboard-sessions.js';
import { merchantMayAct } from '../db/seed.js';
import type { Runtime } from '../runtime.js';
import type { DashboardMerchant } from '../services/merchants.js';

export const SESSION_COOKIE = 'gw_session';
/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
/** …and in any case this long after sign-in. */
export const SESSION_MAX_AGE_MS = 12 * 60 * 60 * 1000;
// Sliding the idle deadline on every request would write on every request; once a minute is plenty.
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface DashboardSession {
  merchant: DashboardMerchant;
  /** Sent back by the page in X-CSRF-Token on every state-changing request. */
  csrfToken: string;
  tokenHash: string;
}

/** When a session lapses: idle timeout from its last request, capped by its absolute lifetime. */
export function sessionExpiry(createdAt: Date, lastSeenAt: Date): Date {
  return new Date(Math.min(lastSeenAt.getTime() + SESSION_IDLE_MS, createdAt.getTime() + SESSION_MAX_AGE_MS));
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/**
 * Server-side sessions behind an HttpOnly, SameSite=Lax cookie that carries a random token, signed.
 * The browser never sees anything else: API credentials are fetched per page from the server.
 * Needs @fastify/cookie registered in the routes' scope (it parses and writes the cookie; the
 * signing is done here, with a key that is loaded lazily from the database).
 */
export class SessionManager {
  private readonly cache = new WeakMap<FastifyRequest, Promise<DashboardSession | null>>();

  constructor(
    private readonly runtime: Runtime,
    private readonly signingKey: () => Promise<Buffer>,
  ) {}

  async start(request: FastifyRequest, reply: FastifyReply, merchant: DashboardMerchant) {
    const now = this.runtime.clock.now();
    // Signing in replaces whatever session this browser had (no session fixation).
    await this.forget(request);
    // Expired rows are purged here rather than by a timer: sign-ins are rare and spread across processes.
    await deleteExpiredSessions(this.runtime.db, now);
    const token = randomBytes(32).toString('base64url');
    const session: DashboardSession = {
      merchant,
      csrfToken: randomBytes(32).toString('base64url'),
      tokenHash: hashToken(token),
    };
    await insertSession(this.runtime.db, {
      tokenHash: session.tokenHash,
      merchantId: merchant.id,
      csrfToken: session.csrfToken,
      now,
      expiresAt: sessionExpiry(now, now),
    });
    const signed = fastifyCookie.sign(token, await this.signingKey());
    reply.setCookie(SESSION_COOKIE, signed, this.cookieOptions(request, SESSION_MAX_AGE_MS / 1000));
    this.cache.set(request, Promise.resolve(session));
    return session;
  }

  /** The request's live session, or null (no cookie, bad signature, unknown, or expired). */
  resolve(request: FastifyRequest): Promise<DashboardSession | null> {
    let pending = this.cache.get(request);
    if (!pending) {
      pending = this.lookup(request);
      this.cache.set(request, pending);
    }
    return pending;
  }

  async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    await this.forget(request);
    reply.setCookie(SESSION_COOKIE, '', this.cookieOptions(request, 0));
  }

  private async forget(request: FastifyRequest): Promise<void> {
    const tokenHash = await this.presentedTokenHash(request);
    if (tokenHash) await deleteSession(this.runtime.db, tokenHash);
    this.cache.set(request, Promise.resolve(null));
  }

  private async lookup(request: FastifyRequest): Promise<DashboardSession | null> {
    const tokenHash = await this.presentedTokenHash(request);
    if (!tokenHash) return null;
    const now = this.runtime.clock.now();
    const row = await findSession(this.runtime.db, tokenHash, now);
    // A session the test merchant opened in test mode is worth nothing once test mode is off.
    if (!row || !merchantMayAct(row.merchant_id, this.runtime.config.TEST_MODE)) return null;
    if (now.getTime() - row.last_seen_at.getTime() >= TOUCH_INTERVAL_MS) {
      await touchSession(this.runtime.db, tokenHash, now, sessionExpiry(row.created_at, now));
    }
    return {
      merchant: { id: row.merchant_id, name: row.merchant_name, email: row.merchant_email },
      csrfToken: row.csrf_token,
      tokenHash,
    };
  }

  private async presentedTokenHash(request: FastifyRequest): Promise<string | null> {
    const signed = request.cookies[SESSION_COOKIE];
    if (!signed) return null;
    const unsigned = fastifyCookie.unsign(signed, await this.signingKey());
    return unsigned.valid ? hashToken(unsigned.value) : null;
  }

  private cookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
    return {
      httpOnly: true,
      sameSite: 'lax' as const,
      path: '/',
      secure: request.protocol === 'https',
      maxAge: maxAgeSeconds,
    };
  }
}
