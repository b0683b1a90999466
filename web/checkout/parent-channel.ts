import {
  CHECKOUT_FOCUS,
  CHECKOUT_INIT,
  type CheckoutEvent,
  type FocusTarget,
} from '../shared/checkout-messages.js';

/**
 * The embedded page's line to the merchant page that framed it. Messages go to that page's origin
 * only, never to '*': a payment id is nobody else's business.
 */
export interface ParentChannel {
  post(event: CheckoutEvent): void;
  /** The merchant's publishable key, once the SDK has introduced itself. */
  merchantKey(): string | undefined;
  /** Called when the SDK hands the payer's focus to the page (on opening, and as Tab wraps round). */
  onFocusRequest(listener: (target: FocusTarget) => void): void;
  close(): void;
}

const FOCUS_TARGETS: readonly unknown[] = ['first-field', 'first'] satisfies FocusTarget[];

/** What the browser says about who framed us: ancestorOrigins (Chromium, Safari), else the referrer. */
export function framingOrigin(
  location: { ancestorOrigins?: ArrayLike<string> },
  referrer: string,
): string | null {
  const ancestor = location.ancestorOrigins?.[0];
  if (ancestor && ancestor !== 'null') return ancestor;
  try {
    const origin = new URL(referrer).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

export function connectToParent(win: Window): ParentChannel {
  let parentOrigin = framingOrigin(win.location, win.document.referrer);
  let key: string | undefined;
  const focusListeners: Array<(target: FocusTarget) => void> = [];
  // Held back until the parent's origin is known (a browser that told us neither, before the SDK's hello).
  const waiting: CheckoutEvent[] = [];

  const send = (event: CheckoutEvent) => {
    if (parentOrigin) win.parent.postMessage(event, parentOrigin);
    else waiting.push(event);
  };
  const onMessage = (event: MessageEvent) => {
    // Only the window that framed us can introduce itself, and its message's origin cannot be forged.
    if (event.source !== win.parent || event.origin === 'null') return;
    const data = event.data as { type?: unknown; key?: unknown; target?: unknown } | null;
    if (typeof data !== 'object' || data === null) return;
    if (data.type === CHECKOUT_FOCUS && FOCUS_TARGETS.includes(data.target)) {
      for (const listener of focusListeners) listener(data.target as FocusTarget);
      return;
    }
    if (data.type !== CHECKOUT_INIT) return;
    parentOrigin = event.origin;
    if (typeof data.key === 'string' && data.key !== '') key = data.key;
    for (const held of waiting.splice(0)) send(held);
  };
  win.addEventListener('message', onMessage);

  return {
    post: send,
    merchantKey: () => key,
    onFocusRequest: (listener) => {
      focusListeners.push(listener);
    },
    close: () => win.removeEventListener('message', onMessage),
  };
}
