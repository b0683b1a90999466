/**
 * The modal's markup, as the SDK's integrators rely on it:
 * div#payment-gateway-modal > .modal-overlay > .modal-content > (iframe + button.close-button).
 * Two focus guards flank .modal-content inside the overlay: Tab past the close button, or Shift+Tab
 * past the checkout's first field, lands on one of them instead of on the merchant's page, and the
 * SDK sends focus round to the other end. Every style rule is scoped under the modal's id so it
 * neither leaks into nor inherits from the merchant's page.
 */
export const MODAL_ID = 'payment-gateway-modal';

export interface ModalElements {
  root: HTMLDivElement;
  iframe: HTMLIFrameElement;
  closeButton: HTMLButtonElement;
  /** Reached by Shift+Tab from the checkout's first field. */
  guardBefore: HTMLSpanElement;
  /** Reached by Tab from the close button. */
  guardAfter: HTMLSpanElement;
}

const STYLES = `
#${MODAL_ID}{position:fixed;top:0;right:0;bottom:0;left:0;z-index:2147483647;margin:0;padding:0}
#${MODAL_ID} *{box-sizing:border-box}
#${MODAL_ID} .modal-overlay{position:absolute;top:0;right:0;bottom:0;left:0;display:flex;align-items:center;justify-content:center;padding:16px;background:rgba(15,23,42,.64)}
#${MODAL_ID} .modal-content{position:relative;width:100%;max-width:440px;height:90vh;max-height:720px;margin:0;padding:0;overflow:hidden;border-radius:14px;background:#fff;box-shadow:0 24px 64px rgba(15,23,42,.35)}
#${MODAL_ID} iframe{display:block;width:100%;height:100%;margin:0;padding:0;border:0;background:#fff}
#${MODAL_ID} .close-button{position:absolute;top:10px;right:10px;width:40px;height:40px;margin:0;padding:0;display:flex;align-items:center;justify-content:center;border:1px solid #cbd5e1;border-radius:50%;background:#fff;color:#0f172a;font:400 24px/1 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;cursor:pointer}
#${MODAL_ID} .close-button:hover{background:#f1f5f9}
#${MODAL_ID} .close-button:focus{outline:3px solid #1d4ed8;outline-offset:2px}
#${MODAL_ID} .close-button:focus:not(:focus-visible){outline:none}
#${MODAL_ID} .focus-guard{position:fixed;top:0;left:0;width:1px;height:1px;overflow:hidden;opacity:0;outline:none}
@media (max-width:520px){#${MODAL_ID} .modal-overlay{padding:0}#${MODAL_ID} .modal-content{max-width:none;height:100%;max-height:none;border-radius:0;box-shadow:none}}
`;

const installedIn = new WeakSet<Document>();

/**
 * Installs the styles once per document. A constructed stylesheet is used where available because a
 * merchant's Content-Security-Policy may forbid injected <style> elements but does not govern it.
 */
export function installModalStyles(doc: Document): void {
  if (installedIn.has(doc)) return;
  installedIn.add(doc);
  const view = doc.defaultView as (Window & typeof globalThis) | null;
  if (view && 'adoptedStyleSheets' in doc && 'replaceSync' in view.CSSStyleSheet.prototype) {
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(STYLES);
    doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    return;
  }
  const style = doc.createElement('style');
  style.id = `${MODAL_ID}-styles`;
  style.textContent = STYLES;
  doc.head.appendChild(style);
}

export function buildModal(doc: Document, checkoutUrl: string): ModalElements {
  const root = doc.createElement('div');
  root.id = MODAL_ID;
  root.setAttribute('data-test-id', 'payment-modal');

  const overlay = doc.createElement('div');
  overlay.className = 'modal-overlay';

  const content = doc.createElement('div');
  content.className = 'modal-content';
  content.setAttribute('role', 'dialog');
  content.setAttribute('aria-modal', 'true');
  content.setAttribute('aria-label', 'Checkout');

  const iframe = doc.createElement('iframe');
  iframe.setAttribute('data-test-id', 'payment-iframe');
  iframe.title = 'Secure checkout';
  // Scripts, fetch and postMessage work; navigating the merchant's page from the frame does not. A
  // frame of the page's own origin could lift its sandbox anyway (browsers warn), so it gets none.
  if (new URL(checkoutUrl).origin !== doc.location.origin) {
    iframe.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-forms');
  }
  iframe.src = checkoutUrl;

  const closeButton = doc.createElement('button');
  closeButton.type = 'button';
  closeButton.className = 'close-button';
  closeButton.setAttribute('data-test-id', 'close-modal-button');
  closeButton.setAttribute('aria-label', 'Close checkout');
  closeButton.textContent = '\u00d7';

  const guardBefore = focusGuard(doc);
  const guardAfter = focusGuard(doc);

  content.append(iframe, closeButton);
  overlay.append(guardBefore, content, guardAfter);
  root.appendChild(overlay);
  return { root, iframe, closeButton, guardBefore, guardAfter };
}

/** Focusable but never resting: the SDK moves focus on as soon as one is reached. */
function focusGuard(doc: Document): HTMLSpanElement {
  const guard = doc.createElement('span');
  guard.className = 'focus-guard';
  guard.tabIndex = 0;
  return guard;
}
