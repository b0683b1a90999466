import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * Security headers of the checkout server's pages, as @fastify/helmet policies. The checkout page
 * must be framable by any merchant (that is what the SDK does), yet run nothing but its own script
 * and talk to nothing but the API; the demo page is an ordinary page that frames the checkout from
 * the same server; checkout.js is loaded by every merchant's page.
 */
export type SecurityHeaders = FastifyHelmetOptions;

const SHARED_DIRECTIVES = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
};

/** Helmet is not asked for the one header it does not write. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), usb=()';

export function checkoutPageHeaders(apiOrigin: string): SecurityHeaders {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...SHARED_DIRECTIVES,
        'connect-src': [apiOrigin],
        // Any merchant site may embed the checkout; only http(s) pages, though.
        'frame-ancestors': ['http:', 'https:'],
        // Text reaches the DOM through textContent only, and this keeps it that way.
        'require-trusted-types-for': ["'script'"],
      },
    },
    // Framing is the point of this page: X-Frame-Options could only forbid it.
    frameguard: false,
    // A merchant page that isolates itself (COEP) may still embed it.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  };
}

export function demoPageHeaders(): SecurityHeaders {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...SHARED_DIRECTIVES,
        'connect-src': ["'self'"],
        'frame-src': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
  };
}

/** checkout.js runs inside other origins' pages (and may be used with Subresource Integrity). */
export const SDK_HEADERS: SecurityHeaders = {
  contentSecurityPolicy: false,
  crossOriginOpenerPolicy: false,
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  frameguard: false,
};
