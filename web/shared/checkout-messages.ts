/**
 * The postMessage protocol between the SDK (on the merchant's page) and the hosted checkout page
 * in its iframe. Both bundles import this file, so it holds names and types only.
 */
export const CHECKOUT_EVENT_TYPES = ['payment_success', 'payment_failed', 'close_modal'] as const;

export type CheckoutEventType = (typeof CHECKOUT_EVENT_TYPES)[number];

export interface CheckoutEventData {
  paymentId?: string;
  orderId?: string;
  status?: string;
  error?: { code: string; description: string };
}

/** What the checkout page posts to the embedding page. */
export interface CheckoutEvent {
  type: CheckoutEventType;
  data: CheckoutEventData;
}

/**
 * What the SDK posts to its iframe once it has loaded: the merchant's publishable key, and (through
 * the message's origin) the embedding page's origin for browsers that tell the frame neither.
 */
export const CHECKOUT_INIT = 'checkout_init';

export interface CheckoutInit {
  type: typeof CHECKOUT_INIT;
  key: string;
}

/**
 * What the SDK posts to its iframe to put the payer's focus inside the checkout: on opening, the
 * first field to fill in; when Tab wraps round from the close button, the first focusable element.
 */
export const CHECKOUT_FOCUS = 'checkout_focus';

export type FocusTarget = 'first-field' | 'first';

export interface CheckoutFocus {
  type: typeof CHECKOUT_FOCUS;
  target: FocusTarget;
}
