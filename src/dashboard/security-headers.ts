import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * Security headers of the dashboard, as @fastify/helmet policies: nothing runs but the dashboard's
 * own bundle, nothing is fetched but from its own origin, and no other site may frame it
 * (clickjacking on "regenerate secret"). HSTS included: behind TLS, the browser never falls back.
 */
type SecurityHeaders = FastifyHelmetOptions;

export const DASHBOARD_PAGE_HEADERS: SecurityHeaders = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
};

/** The dashboard's JSON carries secrets: never rendered as a page, never framed, never sniffed. */
export const DASHBOARD_API_HEADERS: SecurityHeaders = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
};

/** Helmet is not asked for the one header it does not write. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';
