/**
 * Where the hosted checkout sends the buyer back to after a successful payment: the order's
 * `callback_url` with the outcome appended, so the merchant's page knows which payment came back.
 * Only http(s) addresses are followed; anything else (a `javascript:` URL, a typo) is ignored.
 */
export const RETURN_AFTER_MS = 5000;

export interface ReturnedPayment {
  id: string;
  order_id: string;
  status: string;
}

export function returnAddress(
  callbackUrl: string | null | undefined,
  payment: ReturnedPayment,
): string | null {
  if (!callbackUrl) return null;
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  // Set, not appended: a callback that already names one of these gets the real value, once.
  url.searchParams.set('payment_id', payment.id);
  url.searchParams.set('order_id', payment.order_id);
  url.searchParams.set('status', payment.status);
  return url.toString();
}
