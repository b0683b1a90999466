/**
 * The page's elements, found by their contract test ids, and the one rule of its layout: exactly one
 * panel is visible at a time. Text is only ever set through textContent.
 */
export type Panel = 'loading' | 'form' | 'processing' | 'success' | 'error' | 'unavailable';
export type Method = 'upi' | 'card';
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
  readonly reloadButton: HTMLButtonElement;
  readonly methodButtons: Record<Method, HTMLButtonElement>;
  readonly fields: Record<FieldName, HTMLInputElement>;
  readonly networkBadge: HTMLElement;
  private readonly root: ParentNode;
  private readonly methodPanels: Record<Method, HTMLFieldSetElement>;

  constructor(root: ParentNode) {
    this.root = root;
    this.form = byTestId(root, 'payment-form');
    this.payButton = byTestId(root, 'pay-button');
    this.retryButton = byTestId(root, 'retry-button');
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
    for (const name of Object.keys(PANEL_IDS) as Panel[])
      byTestId(this.root, PANEL_IDS[name]).hidden = name !== panel;
    byTestId(this.root, 'checkout-container').setAttribute('aria-busy', String(panel === 'loading'));
    if (announcement) this.announce(announcement);
    const heading = byTestId(this.root, PANEL_IDS[panel]).querySelector<HTMLElement>('h2[tabindex]');
    heading?.focus();
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

  setSubmitting(submitting: boolean, idleLabel: string): void {
    this.payButton.disabled = submitting;
    this.payButton.setAttribute('aria-busy', String(submitting));
    this.payButton.textContent = submitting ? 'Processing…' : idleLabel;
  }
}
