import type { CheckoutEventData } from '../shared/checkout-messages.js';

export interface PaymentGatewayOptions {
  /** The merchant's publishable API key (never the secret). */
  key: string;
  /** An order created by the merchant's server, e.g. `order_9A33XWu170gUtm4v`. */
  orderId: string;
  onSuccess?: (data: CheckoutEventData) => void;
  onFailure?: (data: CheckoutEventData) => void;
  onClose?: () => void;
}

export class PaymentGatewayError extends Error {
  constructor(message: string) {
    super(`PaymentGateway: ${message}`);
    this.name = 'PaymentGatewayError';
  }
}

const CALLBACKS = ['onSuccess', 'onFailure', 'onClose'] as const;

/**
 * Checks what a merchant passed to `new PaymentGateway(...)`, so a typo fails at once with a message
 * that says what to fix, rather than as a blank modal later.
 */
export function validateOptions(options: unknown): PaymentGatewayOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new PaymentGatewayError('expected an options object: new PaymentGateway({ key, orderId, ... })');
  }
  const given = options as Record<string, unknown>;
  requireText(given, 'key', 'your publishable API key, e.g. "key_test_abc123"');
  requireText(given, 'orderId', 'the id of an order your server created, e.g. "order_..."');
  for (const name of CALLBACKS) {
    if (given[name] !== undefined && typeof given[name] !== 'function') {
      throw new PaymentGatewayError(`option "${name}" must be a function (got ${describe(given[name])})`);
    }
  }
  return {
    key: (given.key as string).trim(),
    orderId: (given.orderId as string).trim(),
    onSuccess: given.onSuccess as PaymentGatewayOptions['onSuccess'],
    onFailure: given.onFailure as PaymentGatewayOptions['onFailure'],
    onClose: given.onClose as PaymentGatewayOptions['onClose'],
  };
}

function requireText(given: Record<string, unknown>, name: string, hint: string): void {
  const value = given[name];
  if (value === undefined || value === null) {
    throw new PaymentGatewayError(`option "${name}" is required: ${hint}`);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new PaymentGatewayError(
      `option "${name}" must be a non-empty string: ${hint} (got ${describe(value)})`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value;
}
