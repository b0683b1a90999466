import { formatAmount } from '../../common/currency.js';
import type { CheckoutEvent, FocusTarget } from '../shared/checkout-messages.js';
import {
  type ApiClient,
  ApiError,
  ApiUnreachable,
  type PaymentRequest,
  type PublicOrder,
  type PublicPayment,
} from './api-client.js';
import { failureCopy } from './failure-copy.js';
import { keepFormatted } from './input-formatting.js';
import type { ParentChannel } from './parent-channel.js';
import {
  cardDigits,
  cardNumberError,
  cvvError,
  expiryError,
  type FieldError,
  formatCardNumber,
  formatExpiry,
  holderNameError,
  networkLabel,
  parseExpiry,
  vpaError,
} from './payment-rules.js';
import { DecisionTimeout, waitForDecision } from './payment-status.js';
import { RETURN_AFTER_MS, returnAddress } from './return-address.js';
import { type TestInstrument, testInstruments } from './test-values.js';
import type { CheckoutView, FieldName, Method } from './view.js';

export interface CheckoutPageOptions {
  view: CheckoutView;
  api: ApiClient;
  orderId: string | null;
  /** Set when the page runs inside the SDK's iframe. */
  parent: ParentChannel | null;
  /** The gateway runs in test mode: show the badge and the test values. */
  testMode?: boolean;
  now?: () => Date;
  /** Leaves the page for the merchant's return address. */
  navigate?: (url: string) => void;
  newIdempotencyKey: () => string;
}

const METHOD_FIELDS: Record<Method, FieldName[]> = {
  upi: ['vpa'],
  card: ['card-number', 'expiry', 'cvv', 'holder-name'],
};

/**
 * What a declined attempt leaves behind to be typed afresh, so that no retry sends the same failing
 * details again; the cardholder's name (and the expiry) stay.
 */
const DECLINED_DETAILS: Record<Method, FieldName[]> = { upi: ['vpa'], card: ['card-number', 'cvv'] };

const OTHER_METHOD: Record<Method, Method> = { upi: 'card', card: 'upi' };

/** What the error panel offers; a panel with neither is final. */
interface FailureActions {
  retry?: () => void;
  payAnotherWay?: () => void;
}

/** Which field the API's validation codes are about. */
const FIELD_OF_CODE: Record<string, FieldName> = {
  INVALID_VPA: 'vpa',
  INVALID_CARD: 'card-number',
  EXPIRED_CARD: 'expiry',
};

const FIELD_OF_API_FIELD: Record<string, FieldName> = {
  vpa: 'vpa',
  'card.number': 'card-number',
  'card.expiry_month': 'expiry',
  'card.expiry_year': 'expiry',
  'card.cvv': 'cvv',
  'card.holder_name': 'holder-name',
};

const UNREACHABLE = 'We could not reach the payment service. Check your connection, then try again.';
// The request carried an idempotency key, and a retry with the same details re-sends it.
const UNREACHABLE_WHILE_PAYING = `${UNREACHABLE} You will not be charged twice.`;

/**
 * The hosted checkout: load the order, take UPI or card details, create the payment, follow it
 * until the worker decides it, and tell the embedding page (if any) how it ended.
 */
export class CheckoutPage {
  private order: PublicOrder | null = null;
  private method: Method = 'upi';
  private submitting = false;
  /** The last request that got no answer: re-sent with the same key, it cannot pay twice. */
  private unanswered: { body: string; key: string } | null = null;
  private actions: FailureActions = {};
  /** The SDK asked for focus on the first field before the form was on screen. */
  private firstFieldWanted = false;
  private readonly now: () => Date;

  constructor(private readonly options: CheckoutPageOptions) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    this.wireForm();
    if (this.options.testMode) {
      this.view.showTestMode({ upi: testInstruments('upi'), card: testInstruments('card') }, (instrument) =>
        this.fillTestValue(instrument),
      );
    }
    this.options.parent?.onFocusRequest((target) => this.focusRequested(target));
    void this.loadOrder();
  }

  /** The embedding page has handed the payer's focus to the checkout. */
  private focusRequested(target: FocusTarget): void {
    const view = this.view;
    if (target === 'first') {
      view.focusStart();
    } else if (view.panel === 'form') {
      view.focusFirstField(this.method);
    } else if (view.panel === 'loading') {
      this.firstFieldWanted = true;
    } else {
      view.focusStart();
    }
  }

  private get view(): CheckoutView {
    return this.options.view;
  }

  private wireForm(): void {
    const view = this.view;
    for (const method of ['upi', 'card'] as const) {
      view.methodButtons[method].addEventListener('click', () => this.selectMethod(method));
    }
    keepFormatted(view.fields['card-number'], formatCardNumber);
    keepFormatted(view.fields.expiry, formatExpiry);
    view.fields['card-number'].addEventListener('input', () => {
      view.networkBadge.textContent = networkLabel(view.fields['card-number'].value);
    });
    for (const name of Object.keys(view.fields) as FieldName[]) {
      const input = view.fields[name];
      // Errors appear once a field is left, and clear as soon as it is fixed.
      input.addEventListener('blur', () => {
        if (input.value !== '') this.checkField(name);
      });
      input.addEventListener('input', () => {
        if (input.getAttribute('aria-invalid') === 'true') this.checkField(name);
      });
    }
    view.form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.pay();
    });
    view.retryButton.addEventListener('click', () => this.actions.retry?.());
    view.anotherWayButton.addEventListener('click', () => this.actions.payAnotherWay?.());
    view.reloadButton.addEventListener('click', () => void this.loadOrder());
  }

  /** A test chip fills its field as if the payer had typed the value. */
  private fillTestValue(instrument: TestInstrument): void {
    const field = this.view.fields[instrument.method === 'upi' ? 'vpa' : 'card-number'];
    field.value = instrument.method === 'card' ? formatCardNumber(instrument.value) : instrument.value;
    field.dispatchEvent(new Event('input', { bubbles: true }));
    field.focus();
  }

  private async loadOrder(): Promise<void> {
    const view = this.view;
    const orderId = this.options.orderId;
    if (!orderId) {
      this.unavailable(
        'No order to pay',
        'This checkout link has no order id. Ask the merchant for a new link.',
      );
      return;
    }
    view.show('loading');
    try {
      this.order = await this.options.api.getOrder(orderId);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) {
        this.unavailable(
          'Order not found',
          'We could not find this order. Check the link, or ask the merchant to start the payment again.',
        );
      } else if (err instanceof ApiError) {
        this.unavailable('Checkout unavailable', err.description, { reload: true });
      } else {
        this.unavailable('Payment service unreachable', UNREACHABLE, { reload: true });
      }
      return;
    }
    this.showOrder(this.order);
    if (this.order.status === 'paid') {
      this.unavailable(
        'Order already paid',
        'This order has already been paid. There is nothing more to pay.',
        {
          summary: true,
        },
      );
      return;
    }
    this.backToForm();
  }

  private showOrder(order: PublicOrder): void {
    const view = this.view;
    const amount = formatAmount(order.amount, order.currency);
    view.text('merchant-name', order.merchant_name);
    view.text('order-amount', amount);
    view.text('order-id', order.id);
    view.setSubmitting(false, this.payLabel());
    view.showSummary(true);
    document.title = `Pay ${amount} to ${order.merchant_name}`;
  }

  private payLabel(): string {
    return this.order ? `Pay ${formatAmount(this.order.amount, this.order.currency)}` : 'Pay';
  }

  private selectMethod(method: Method): void {
    this.method = method;
    this.view.selectMethod(method);
  }

  private checkField(name: FieldName): FieldError {
    const value = this.view.fields[name].value;
    const error = fieldRules[name](value, this.now());
    this.view.fieldError(name, error);
    return error;
  }

  private backToForm(): void {
    this.view.setSubmitting(false, this.payLabel());
    this.view.show('form');
    this.selectMethod(this.method);
    if (this.firstFieldWanted) {
      this.firstFieldWanted = false;
      this.view.focusFirstField(this.method);
    }
  }

  private async pay(): Promise<void> {
    if (this.submitting || !this.order) return;
    const invalid = METHOD_FIELDS[this.method].filter((name) => this.checkField(name) !== null);
    if (invalid.length > 0) {
      this.view.fields[invalid[0] as FieldName].focus();
      this.view.announce('Please correct the highlighted fields.');
      return;
    }
    const request = this.paymentRequest(this.order.id);
    const body = JSON.stringify(request);
    if (this.unanswered?.body !== body) this.unanswered = { body, key: this.options.newIdempotencyKey() };
    const key = this.unanswered.key;

    this.submitting = true;
    this.view.setSubmitting(true, this.payLabel());
    try {
      const payment = await this.options.api.createPayment(request, {
        idempotencyKey: key,
        apiKey: this.options.parent?.merchantKey(),
      });
      this.unanswered = null;
      await this.follow(payment);
    } catch (err) {
      this.rejected(err);
    } finally {
      this.submitting = false;
      this.view.setSubmitting(false, this.payLabel());
    }
  }

  private paymentRequest(orderId: string): PaymentRequest {
    const fields = this.view.fields;
    if (this.method === 'upi') return { order_id: orderId, method: 'upi', vpa: fields.vpa.value.trim() };
    const expiry = parseExpiry(fields.expiry.value) ?? { month: '', year: '' };
    const holderName = fields['holder-name'].value.trim();
    return {
      order_id: orderId,
      method: 'card',
      card: {
        number: cardDigits(fields['card-number'].value),
        expiry_month: expiry.month,
        expiry_year: expiry.year,
        cvv: fields.cvv.value.trim(),
        ...(holderName ? { holder_name: holderName } : {}),
      },
    };
  }

  /** The payment could not be created: say why, next to the field when the API names one. */
  private rejected(err: unknown): void {
    if (err instanceof ApiUnreachable) {
      this.failure('Could not reach the payment service', UNREACHABLE_WHILE_PAYING);
      return;
    }
    this.unanswered = null;
    if (!(err instanceof ApiError)) {
      this.failure('Something went wrong', 'The payment could not be started. Please try again.');
      return;
    }
    const field = FIELD_OF_CODE[err.code] ?? (err.field ? FIELD_OF_API_FIELD[err.field] : undefined);
    if (field) {
      this.backToForm();
      this.view.fieldError(field, err.description);
      this.view.fields[field].focus();
      return;
    }
    if (err.code === 'BAD_REQUEST_ERROR' && /already paid/i.test(err.description)) {
      this.unavailable(
        'Order already paid',
        'This order has already been paid. There is nothing more to pay.',
        {
          summary: true,
        },
      );
      return;
    }
    if (err.status === 404) {
      this.unavailable('Order not found', 'This order does not exist, or does not belong to this merchant.');
      return;
    }
    if (err.code === 'RATE_LIMITED') {
      this.failure('Too many attempts', 'Please wait a moment, then try again.');
      return;
    }
    this.failure('Payment not started', err.description);
  }

  /** Shows the processing state until the worker has decided the payment. */
  private async follow(payment: PublicPayment): Promise<void> {
    const view = this.view;
    view.text('processing-message', 'Processing your payment…');
    view.show('processing', 'Processing your payment');
    try {
      const decided = await waitForDecision(this.options.api, payment.id, {
        onStillWaiting: () =>
          view.text('processing-message', 'Still processing: waiting for your bank to confirm…'),
      });
      this.decided(decided);
    } catch (err) {
      if (err instanceof DecisionTimeout) {
        this.failure(
          'Payment not confirmed yet',
          `Your bank has not confirmed payment ${payment.id} yet. Check again in a moment.`,
          { retry: () => void this.follow(payment) },
        );
      } else {
        this.failure('Something went wrong', 'We could not follow this payment. Please try again.');
      }
    }
  }

  private decided(payment: PublicPayment): void {
    const view = this.view;
    const data = { paymentId: payment.id, orderId: payment.order_id, status: payment.status };
    if (payment.status === 'success') {
      view.text('payment-id', payment.id);
      if (this.order) {
        const paid = formatAmount(this.order.amount, this.order.currency);
        view.text('success-message', `${paid} paid to ${this.order.merchant_name}.`);
      }
      const next = this.options.parent ? null : this.nextAfterSuccess(payment);
      view.show('success', next ? `Payment successful. ${next}` : 'Payment successful');
      this.tellParent({ type: 'payment_success', data });
      return;
    }
    const description = payment.error_description ?? 'Your payment could not be processed.';
    const copy = failureCopy(payment.error_code, payment.method);
    this.failure(
      copy.title,
      copy.message,
      copy.canRetry
        ? {
            retry: () => this.afterDecline(payment.method, payment.method),
            payAnotherWay: () => this.afterDecline(payment.method, OTHER_METHOD[payment.method]),
          }
        : {},
    );
    this.tellParent({
      type: 'payment_failed',
      data: { ...data, error: { code: payment.error_code ?? 'PAYMENT_FAILED', description } },
    });
  }

  /**
   * On the hosted page, the buyer is taken back to the merchant's return address after a few
   * seconds (and can go at once, or stay); without one, the page says it is the end. Embedded, the
   * SDK closes the modal and the merchant's page takes over. Returns what the buyer is told.
   */
  private nextAfterSuccess(payment: PublicPayment): string {
    const merchant = this.order?.merchant_name ?? 'the merchant';
    const url = returnAddress(this.order?.callback_url, payment);
    if (!url) {
      const text = 'All done: you can close this page now.';
      this.view.successNext({ text });
      return text;
    }
    const navigate = this.options.navigate ?? ((to: string) => window.location.assign(to));
    const timer = setTimeout(() => navigate(url), RETURN_AFTER_MS);
    const text = `Taking you back to ${merchant} in ${RETURN_AFTER_MS / 1000} seconds.`;
    const label = `Return to ${merchant}`;
    this.view.successNext({
      text,
      returnTo: {
        label,
        url,
        onStay: () => {
          clearTimeout(timer);
          this.view.successNext({
            text: `You are staying on this page. Return to ${merchant} whenever you are ready.`,
            returnTo: { label, url },
          });
        },
      },
    });
    return text;
  }

  /** Back to the form after a decline: the declined details are cleared, focus is where to type. */
  private afterDecline(declined: Method, next: Method): void {
    this.view.clearFields(DECLINED_DETAILS[declined]);
    this.method = next;
    this.backToForm();
    this.view.focusFirstField(next);
  }

  private failure(
    title: string,
    message: string,
    actions: FailureActions = { retry: () => this.backToForm() },
  ): void {
    this.actions = actions;
    this.view.retryButton.hidden = actions.retry === undefined;
    this.view.anotherWayButton.hidden = actions.payAnotherWay === undefined;
    this.view.text('error-title', title);
    this.view.text('error-message', message);
    this.view.show('error', `${title}. ${message}`);
  }

  private unavailable(
    title: string,
    message: string,
    options: { reload?: boolean; summary?: boolean } = {},
  ): void {
    const view = this.view;
    view.showSummary(options.summary === true);
    view.text('order-unavailable-title', title);
    view.text('order-unavailable-message', message);
    view.reloadButton.hidden = options.reload !== true;
    view.show('unavailable', `${title}. ${message}`);
  }

  private tellParent(event: CheckoutEvent): void {
    this.options.parent?.post(event);
  }
}

const fieldRules: Record<FieldName, (value: string, now: Date) => FieldError> = {
  vpa: vpaError,
  'card-number': cardNumberError,
  expiry: expiryError,
  cvv: cvvError,
  'holder-name': holderNameError,
};
