import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../domain/signing.js';

/**
 * Cross-site request forgery defences for the dashboard's JSON endpoints, on top of SameSite=Lax:
 * a state-changing request must come from the dashboard's own origin, and carry the session's CSRF
 * token in a header, which a page of another origin can neither read nor set.
 */
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const changesState = (method: string) => !SAFE_METHODS.has(method.toUpperCase());

/** The origins the dashboard is served from: the one the browser addressed, and the configured one. */
function ownOrigins(request: FastifyRequest, publicUrl: string): string[] {
  const origins = [new URL(publicUrl).origin];
  const host = request.headers.host;
  if (host) origins.push(`${request.protocol}://${host}`);
  return origins;
}

/**
 * False when a browser says the request comes from another origin. Browsers send Origin on every
 * fetch that changes state; without it, Sec-Fetch-Site tells the same. A request with neither is not
 * from a browser page, and a forged request needs a browser carrying the victim's cookie.
 */
export function comesFromOwnOrigin(request: FastifyRequest, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (typeof origin === 'string') return ownOrigins(request, publicUrl).includes(origin);
  const site = request.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

export function carriesCsrfToken(request: FastifyRequest, expected: string): boolean {
  const given = request.headers[CSRF_HEADER];
  return typeof given === 'string' && given.length > 0 && safeEqual(given, expected);
}
