import type { PaymentMethod } from '../../common/payment-instruments.js';
import type { TestInstrument } from './test-values.js';

/**
 * The page's elements, found by their documented test ids, and the one rule of its layout: exactly one
 * panel is visible at a time. Text is only ever set through textContent.
 */
export type Panel = 'loading' | 'form' | 'processing' | 'success' | 'error' | 'unavailable';
export type Method = PaymentMethod;
export type FieldName = 'vpa' | 'card-number' | 'expiry' | 'cvv' | 'holder-name';

const PANEL_IDS: Record<Panel, string> = {
  loading: 'loading-state',
  form: 'payment-form',
  processing: 'processing-state',
  success: 'success-state',
  error: 'error-state',
  unavailable: 'order-unavailable',
};

const FIELD_IDS: Record<FieldName, string> = {
  vpa: 'vpa-input',
  'card-number': 'card-number-input',
  expiry: 'expiry-input',
  cvv: 'cvv-input',
  'holder-name': 'cardholder-name-input',
};

export function byTestId<T extends HTMLElement = HTMLElement>(root: ParentNode, id: string): T {
  const element = root.querySelector<T>(`[data-test-id="${id}"]`);
  if (!element) throw new Error(`checkout page is missing [data-test-id="${id}"]`);
  return element;
}

export class CheckoutView {
  readonly form: HTMLFormElement;
  readonly payButton: HTMLButtonElement;
  readonly retryButton: HTMLButtonElement;
  readonly anotherWayButton: HTMLButtonElement;
  readonly reloadButton: HTMLButtonElement;
  readonly methodButtons: Record<Method, HTMLButtonElement>;
  readonly fields: Record<FieldName, HTMLInputElement>;
  readonly networkBadge: HTMLElement;
  /** The panel on screen. */
  panel: Panel = 'loading';
  private readonly root: ParentNode;
  private readonly methodPanels: Record<Method, HTMLFieldSetElement>;

  constructor(root: ParentNode) {
    this.root = root;
    this.form = byTestId(root, 'payment-form');
    this.payButton = byTestId(root, 'pay-button');
    this.retryButton = byTestId(root, 'retry-button');
    this.anotherWayButton = byTestId(root, 'pay-another-way-button');
    this.reloadButton = byTestId(root, 'reload-button');
    this.networkBadge = byTestId(root, 'card-network');
    this.methodButtons = { upi: byTestId(root, 'method-upi'), card: byTestId(root, 'method-card') };
    this.methodPanels = { upi: byTestId(root, 'upi-form'), card: byTestId(root, 'card-form') };
    const fields: Partial<Record<FieldName, HTMLInputElement>> = {};
    for (const name of Object.keys(FIELD_IDS) as FieldName[]) fields[name] = byTestId(root, FIELD_IDS[name]);
    this.fields = fields as Record<FieldName, HTMLInputElement>;
  }

  text(id: string, value: string): void {
    byTestId(this.root, id).textContent = value;
  }

  showSummary(visible: boolean): void {
    byTestId(this.root, 'order-summary').hidden = !visible;
  }

  /** Shows one panel, announces it, and moves focus to its heading when the payer needs to act. */
  show(panel: Panel, announcement?: string): void {
    this.panel = panel;
    for (const name of Object.keys(PANEL_IDS) as Panel[])
      byTestId(this.root, PANEL_IDS[name]).hidden = name !== panel;
    byTestId(this.root, 'checkout-container').setAttribute('aria-busy', String(panel === 'loading'));
    if (announcement) this.announce(announcement);
    const heading = byTestId(this.root, PANEL_IDS[panel]).querySelector<HTMLElement>('h2[tabindex]');
    heading?.focus();
  }

  /** The test-mode badge, and a chip per test instrument that fills its field when picked. */
  showTestMode(
    instruments: Record<Method, TestInstrument[]>,
    pick: (instrument: TestInstrument) => void,
  ): void {
    byTestId(this.root, 'test-mode-badge').hidden = false;
    for (const method of ['upi', 'card'] as const) {
      const box = byTestId(this.root, method === 'upi' ? 'test-vpas' : 'test-cards');
      const list = box.querySelector('ul');
      if (!list) continue;
      const doc = list.ownerDocument;
      for (const instrument of instruments[method]) {
        const chip = doc.createElement('button');
        chip.type = 'button';
        chip.className = 'test-chip';
        chip.setAttribute('data-test-id', 'test-value-chip');
        chip.dataset.value = instrument.value;
        chip.dataset.outcome = instrument.outcome;
        const value = doc.createElement('span');
        value.className = 'chip-value';
        if (instrument.method === 'card') {
          // Seen as "•••• 0002", heard as "card ending 0002".
          const dots = doc.createElement('span');
          dots.setAttribute('aria-hidden', 'true');
          dots.textContent = '•••• ';
          const spoken = doc.createElement('span');
          spoken.className = 'visually-hidden';
          spoken.textContent = 'Card ending ';
          value.append(dots, spoken);
        }
        value.append(instrument.display);
        const outcome = doc.createElement('span');
        outcome.className = 'chip-outcome';
        outcome.textContent = instrument.label;
        chip.append(value, ' ', outcome);
        chip.addEventListener('click', () => pick(instrument));
        const item = doc.createElement('li');
        item.appendChild(chip);
        list.appendChild(item);
      }
      box.hidden = false;
    }
  }

  /**
   * The last words of a successful payment: where the buyer goes next. With a return address the
   * link leads back to the merchant, and `onStay` (when given) offers to cancel the automatic return.
   */
  successNext(next: { text: string; returnTo?: { label: string; url: string; onStay?: () => void } }): void {
    const line = byTestId(this.root, 'success-next');
    line.textContent = next.text;
    line.hidden = false;
    const actions = byTestId(this.root, 'return-actions');
    actions.hidden = next.returnTo === undefined;
    if (!next.returnTo) return;
    const link = byTestId<HTMLAnchorElement>(actions, 'return-link');
    link.href = next.returnTo.url;
    link.textContent = next.returnTo.label;
    const stay = byTestId<HTMLButtonElement>(actions, 'stay-button');
    const onStay = next.returnTo.onStay;
    stay.hidden = onStay === undefined;
    stay.onclick = onStay
      ? () => {
          onStay();
          // The button goes away under the buyer's focus: the way back takes it.
          link.focus();
        }
      : null;
  }

  /** The first thing to fill in for a method: the UPI ID, or the card number. */
  focusFirstField(method: Method): void {
    this.fields[method === 'upi' ? 'vpa' : 'card-number'].focus();
  }

  /** Where Tab starts: the first focusable element, or the heading of a panel that has none. */
  focusStart(): void {
    const container = byTestId(this.root, 'checkout-container');
    const first =
      firstTabbable(container) ??
      byTestId(this.root, PANEL_IDS[this.panel]).querySelector<HTMLElement>('h2[tabindex]');
    first?.focus();
  }

  announce(message: string): void {
    const announcer = byTestId(this.root, 'status-announcer');
    // Cleared first so that the same words twice in a row are announced twice.
    announcer.textContent = '';
    setTimeout(() => {
      announcer.textContent = message;
    }, 50);
  }

  selectMethod(method: Method): void {
    for (const name of ['upi', 'card'] as const) {
      const selected = name === method;
      this.methodButtons[name].setAttribute('aria-pressed', String(selected));
      this.methodPanels[name].hidden = !selected;
      // A hidden method's inputs are neither focusable nor part of the submission.
      this.methodPanels[name].disabled = !selected;
    }
  }

  fieldError(name: FieldName, message: string | null): void {
    const input = this.fields[name];
    const slot = this.root.querySelector<HTMLElement>(`[data-error-for="${name}"]`);
    if (slot) slot.textContent = message ?? '';
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  /** Empties fields and their error messages, as if nothing had been typed. */
  clearFields(names: FieldName[]): void {
    for (const name of names) {
      this.fields[name].value = '';
      this.fieldError(name, null);
    }
    if (names.includes('card-number')) this.networkBadge.textContent = '';
  }

  setSubmitting(submitting: boolean, idleLabel: string): void {
    this.payButton.disabled = submitting;
    this.payButton.setAttribute('aria-busy', String(submitting));
    this.payButton.textContent = submitting ? 'Processing…' : idleLabel;
  }
}

// The page's own markup, so the candidates are known: buttons, inputs and links, none reordered by a
// positive tabindex. Hidden panels are display:none; a hidden method's fieldset is disabled.
const TABBABLE = 'button, input, a[href], [tabindex="0"]';

function firstTabbable(container: HTMLElement): HTMLElement | null {
  for (const element of container.querySelectorAll<HTMLElement>(TABBABLE)) {
    if (!element.matches(':disabled') && element.getClientRects().length > 0) return element;
  }
  return null;
}
