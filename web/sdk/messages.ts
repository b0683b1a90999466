import {
  CHECKOUT_EVENT_TYPES,
  type CheckoutEvent,
  type CheckoutEventData,
  type CheckoutEventType,
} from '../shared/checkout-messages.js';

/** The parts of a MessageEvent the filter looks at (a plain object in unit tests). */
export interface ReceivedMessage {
  origin: string;
  source: unknown;
  data: unknown;
}

export interface TrustedSender {
  /** The checkout origin, derived from where checkout.js was loaded. */
  origin: string;
  /** The window of the SDK's own iframe; null once the iframe is gone. */
  source: unknown;
}

/**
 * A message is believed only if it comes from the checkout origin *and* from our own iframe: the
 * origin alone would also admit any other checkout frame on the page, the source alone a frame that
 * navigated elsewhere. Anything else, or anything malformed, is ignored (null).
 */
export function readCheckoutMessage(message: ReceivedMessage, sender: TrustedSender): CheckoutEvent | null {
  if (sender.source === null || sender.source === undefined) return null;
  if (message.source !== sender.source || message.origin !== sender.origin) return null;
  const payload = message.data;
  if (typeof payload !== 'object' || payload === null) return null;
  const type = (payload as { type?: unknown }).type;
  const data = (payload as { data?: unknown }).data;
  if (!isCheckoutEventType(type)) return null;
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) return null;
  return { type, data: { ...(data as CheckoutEventData | undefined) } };
}

function isCheckoutEventType(type: unknown): type is CheckoutEventType {
  return (CHECKOUT_EVENT_TYPES as readonly unknown[]).includes(type);
}

/** Subscribes to trusted checkout messages on `target` (the window); returns the unsubscribe. */
export function listenForCheckoutMessages(
  target: EventTarget,
  sender: () => TrustedSender,
  handle: (event: CheckoutEvent) => void,
): () => void {
  const listener = (event: Event) => {
    const message = readCheckoutMessage(event as MessageEvent, sender());
    if (message) handle(message);
  };
  target.addEventListener('message', listener);
  return () => target.removeEventListener('message', listener);
}
