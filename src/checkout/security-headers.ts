/**
 * Response headers of the checkout server's pages. The checkout page must be framable by any
 * merchant (that is what the SDK does), yet run nothing but its own script and talk to nothing but
 * the API; the demo page is an ordinary page that frames the checkout from the same server.
 */
export type Headers = Record<string, string>;

function policy(directives: Record<string, string>): string {
  return Object.entries(directives)
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}

const SHARED_DIRECTIVES = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
};

export function checkoutPageHeaders(apiOrigin: string): Headers {
  return {
    'Content-Security-Policy': policy({
      ...SHARED_DIRECTIVES,
      'connect-src': apiOrigin,
      // Any merchant site may embed the checkout; only http(s) pages, though.
      'frame-ancestors': 'http: https:',
      // Text reaches the DOM through textContent only, and this keeps it that way.
      'require-trusted-types-for': "'script'",
    }),
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
  };
}

export function demoPageHeaders(): Headers {
  return {
    'Content-Security-Policy': policy({
      ...SHARED_DIRECTIVES,
      'connect-src': "'self'",
      'frame-src': "'self'",
      'frame-ancestors': "'none'",
    }),
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
  };
}

/** checkout.js is loaded by other origins' pages (and may be used with Subresource Integrity). */
export const SDK_HEADERS: Headers = {
  'Access-Control-Allow-Origin': '*',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};
