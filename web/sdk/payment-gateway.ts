import {
  CHECKOUT_FOCUS,
  CHECKOUT_INIT,
  type CheckoutEvent,
  type CheckoutFocus,
  type CheckoutInit,
  type FocusTarget,
} from '../shared/checkout-messages.js';
import { type CheckoutLocation, checkoutLocationFrom, currentScriptUrl } from './checkout-location.js';
import { listenForCheckoutMessages } from './messages.js';
import { buildModal, installModalStyles, type ModalElements } from './modal.js';
import { type PaymentGatewayOptions, validateOptions } from './options.js';

// Read while checkout.js first executes: document.currentScript is null afterwards.
const scriptUrl = typeof document === 'undefined' ? null : currentScriptUrl(document);

/** One modal on the page at a time: opening another checkout dismisses the current one. */
let openCheckout: PaymentGateway | null = null;

/**
 * How long the frame's "Payment successful" stays on screen before the modal closes by itself.
 * The merchant hears of the success at once; the payer gets a moment to read it.
 */
export const SUCCESS_VISIBLE_MS = 1500;

interface OpenState {
  modal: ModalElements;
  stopListening: Array<() => void>;
  restoreFocusTo: Element | null;
  restoreOverflow: string;
  /** Set once the payment succeeded, so the close that follows is not reported as a dismissal. */
  paid: boolean;
  /** The close that follows a success, once its message has been on screen for a moment. */
  closeTimer?: ReturnType<typeof setTimeout>;
}

export class PaymentGateway {
  private readonly options: PaymentGatewayOptions;
  private readonly location: CheckoutLocation;
  private state: OpenState | null = null;

  constructor(options: PaymentGatewayOptions) {
    this.options = validateOptions(options);
    this.location = checkoutLocationFrom(scriptUrl);
  }

  open(): void {
    if (this.state) return;
    openCheckout?.dismiss();
    const doc = document;
    installModalStyles(doc);
    const modal = buildModal(doc, this.location.pageUrl(this.options.orderId));
    const state: OpenState = {
      modal,
      stopListening: [],
      restoreFocusTo: doc.activeElement,
      restoreOverflow: doc.documentElement.style.overflow,
      paid: false,
    };
    this.state = state;
    openCheckout = this;

    state.stopListening.push(
      listenForCheckoutMessages(
        window,
        () => ({ origin: this.location.origin, source: modal.iframe.contentWindow }),
        (event) => this.handle(event),
      ),
      on(doc, 'keydown', (event) => {
        if ((event as KeyboardEvent).key === 'Escape') this.dismiss();
      }),
      on(modal.closeButton, 'click', () => this.dismiss()),
      on(modal.iframe, 'load', () => {
        this.introduceToFrame(modal.iframe);
        this.focusFrame(modal.iframe, 'first-field');
      }),
      // The focus trap: Tab cycles through the checkout's fields and the close button only.
      on(modal.guardBefore, 'focus', () => modal.closeButton.focus()),
      on(modal.guardAfter, 'focus', () => this.focusFrame(modal.iframe, 'first')),
      // Anything else that moves focus behind the overlay (a click, a merchant script) is undone.
      on(doc, 'focusin', (event) => {
        if (event.target instanceof Node && !modal.root.contains(event.target)) modal.closeButton.focus();
      }),
    );
    doc.documentElement.style.overflow = 'hidden';
    doc.body.appendChild(modal.root);
    modal.iframe.focus();
  }

  /** Closes the modal; `onClose` is called as for any close that is not a completed payment. */
  close(): void {
    this.dismiss();
  }

  private handle(event: CheckoutEvent): void {
    switch (event.type) {
      case 'payment_success': {
        const state = this.state;
        if (!state || state.paid) break;
        state.paid = true;
        notify(this.options.onSuccess, event.data);
        // A close before then (button, Escape, close(), another checkout) is not a dismissal either.
        state.closeTimer = setTimeout(() => this.teardown(), SUCCESS_VISIBLE_MS);
        break;
      }
      case 'payment_failed':
        // The page offers a retry, so the modal stays open.
        notify(this.options.onFailure, event.data);
        break;
      case 'close_modal':
        this.dismiss();
        break;
    }
  }

  private dismiss(): void {
    const paid = this.state?.paid === true;
    if (this.teardown() && !paid) notify(this.options.onClose);
  }

  /** Removes the modal and every listener; false when it was not open. */
  private teardown(): boolean {
    const state = this.state;
    if (!state) return false;
    this.state = null;
    if (openCheckout === this) openCheckout = null;
    clearTimeout(state.closeTimer);
    for (const stop of state.stopListening) stop();
    state.modal.root.remove();
    document.documentElement.style.overflow = state.restoreOverflow;
    if (state.restoreFocusTo instanceof HTMLElement) state.restoreFocusTo.focus();
    return true;
  }

  /**
   * Focus can only be put on an element inside a frame of another origin by the frame itself; the
   * SDK focuses the frame and tells the page where its focus belongs.
   */
  private focusFrame(iframe: HTMLIFrameElement, target: FocusTarget): void {
    iframe.focus();
    const request: CheckoutFocus = { type: CHECKOUT_FOCUS, target };
    iframe.contentWindow?.postMessage(request, this.location.origin);
  }

  /** Tells the page the merchant's key and, through the message's origin, who embeds it. */
  private introduceToFrame(iframe: HTMLIFrameElement): void {
    const init: CheckoutInit = { type: CHECKOUT_INIT, key: this.options.key };
    iframe.contentWindow?.postMessage(init, this.location.origin);
  }
}

function on(target: EventTarget, type: string, listener: (event: Event) => void): () => void {
  target.addEventListener(type, listener);
  return () => target.removeEventListener(type, listener);
}

/** A merchant callback that throws must not leave the modal half-closed; its error is still reported. */
function notify<A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A): void {
  if (!callback) return;
  try {
    callback(...args);
  } catch (err) {
    setTimeout(() => {
      throw err;
    });
  }
}
