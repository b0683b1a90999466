import { PaymentGatewayError } from './options.js';

export interface CheckoutLocation {
  /** Origin the checkout page's messages must come from. */
  origin: string;
  /** The hosted checkout page for an order, embedded. */
  pageUrl(orderId: string): string;
}

/**
 * The checkout page lives next to checkout.js, wherever that was served from (any host, any path
 * prefix behind a proxy), so nothing about the gateway's address is baked into the bundle.
 */
export function checkoutLocationFrom(scriptUrl: string | null | undefined): CheckoutLocation {
  let script: URL;
  try {
    script = new URL(scriptUrl ?? '');
  } catch {
    throw new PaymentGatewayError(
      'cannot tell where checkout.js was loaded from; include it with <script src=".../checkout.js">',
    );
  }
  if (script.protocol !== 'https:' && script.protocol !== 'http:') {
    throw new PaymentGatewayError(`checkout.js must be served over http(s), not ${script.protocol}`);
  }
  return {
    origin: script.origin,
    pageUrl(orderId) {
      const page = new URL('checkout', script);
      page.search = '';
      page.hash = '';
      page.searchParams.set('order_id', orderId);
      page.searchParams.set('embedded', 'true');
      return page.toString();
    },
  };
}

/** The URL of the running checkout.js; only readable while the script first executes. */
export function currentScriptUrl(doc: Document): string | null {
  const current = doc.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current.src;
  // Loaded in some way that hides currentScript: fall back to the tag that names the file.
  const tags = doc.querySelectorAll<HTMLScriptElement>('script[src*="checkout.js"]');
  return tags.length > 0 ? (tags[tags.length - 1]?.src ?? null) : null;
}
