import { randomUUID } from 'node:crypto';
import { DECLINING_TEST_VALUES, SUCCEEDING_TEST_VALUES } from '../../common/test-values.js';
import {
  CONNECTION_OPTIONS,
  CONNECTION_USAGE,
  type Connection,
  connectionOf,
  describeFailure,
  parseCommandArgs,
  sleep,
  UsageError,
} from './client-options.js';
import type { CommandIo } from './io.js';

export const TRIGGERABLE = [
  'payment.created',
  'payment.pending',
  'payment.success',
  'payment.failed',
  'refund.created',
  'refund.processed',
] as const;
type Triggerable = (typeof TRIGGERABLE)[number];

export const TRIGGER_USAGE = `Usage: gateway trigger <event> [--amount <paise>] [--method card|upi]

Creates, through the API, the objects that produce <event> (one of ${TRIGGERABLE.join(', ')}),
waits until the event is recorded, and prints the ids. Outcomes come from the test values, so
payment.failed needs the API in test mode.

  --amount <paise>     the order's amount (default 50000, at least 100)
  --method card|upi    how the payment is made (default upi)
${CONNECTION_USAGE}`;

const WAIT_MS = 60_000;
const POLL_MS = 200;

/** `gateway trigger <event>`: real orders, payments and refunds, made to produce one event. */
export async function triggerCommand(args: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    ...CONNECTION_OPTIONS,
    amount: { type: 'string' },
    method: { type: 'string' },
  });
  const event = positionals[0] as Triggerable | undefined;
  if (!event || !TRIGGERABLE.includes(event) || positionals.length > 1) {
    throw new UsageError(`<event> must be one of ${TRIGGERABLE.join(', ')}`);
  }
  const amount = Number(values.amount ?? 50_000);
  if (!Number.isInteger(amount) || amount < 100) throw new UsageError('--amount must be an integer ≥ 100');
  const method = values.method ?? 'upi';
  if (method !== 'upi' && method !== 'card') throw new UsageError('--method must be card or upi');
  const api = new TriggerApi(connectionOf(values, io.env), io);

  const orderId = await api.createOrder(amount);
  io.out(`order    ${orderId}`);
  const fails = event === 'payment.failed';
  const paymentId = await api.createPayment(orderId, method, fails);
  io.out(`payment  ${paymentId}`);
  if (event.startsWith('payment.')) {
    io.out(`${event}  ${await api.waitForEvent(paymentId, event)}`);
    return 0;
  }
  await api.waitForEvent(paymentId, 'payment.success');
  const refundId = await api.createRefund(paymentId, amount);
  io.out(`refund   ${refundId}`);
  io.out(`${event}  ${await api.waitForEvent(refundId, event)}`);
  return 0;
}

/** A card or VPA from the test-value table that ends a payment as asked. */
function instrument(method: 'upi' | 'card', fails: boolean) {
  const ending = fails ? DECLINING_TEST_VALUES : SUCCEEDING_TEST_VALUES;
  if (method === 'upi') return { vpa: ending.vpa };
  return {
    card: {
      number: ending.card,
      expiry_month: '12',
      expiry_year: String(new Date().getFullYear() + 3),
      cvv: '123',
      holder_name: 'Gateway Trigger',
    },
  };
}

class TriggerApi {
  constructor(
    private readonly connection: Connection,
    private readonly io: CommandIo,
  ) {}

  private get client() {
    return this.connection.client;
  }

  private check<T>(what: string, result: { data?: T; error?: unknown; response: Response }): T {
    if (result.data === undefined) {
      throw new Error(`${what} failed: ${describeFailure(result.response.status, result.error)}`);
    }
    return result.data;
  }

  async createOrder(amount: number): Promise<string> {
    const result = await this.client.POST('/api/v1/orders', {
      body: { amount, receipt: `trigger_${Date.now()}` },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    return this.check('creating the order', result).id;
  }

  async createPayment(orderId: string, method: 'upi' | 'card', fails: boolean): Promise<string> {
    const result = await this.client.POST('/api/v1/payments', {
      body: { order_id: orderId, method, ...instrument(method, fails) },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    return this.check('creating the payment', result).id;
  }

  async createRefund(paymentId: string, amount: number): Promise<string> {
    const result = await this.client.POST('/api/v1/payments/{id}/refunds', {
      params: { path: { id: paymentId } },
      body: { amount, reason: 'gateway trigger' },
      headers: { 'Idempotency-Key': randomUUID() },
    });
    return this.check('creating the refund', result).id;
  }

  /**
   * The id of the object's event of this type, once recorded. A payment that ends the other way
   * (outside test mode outcomes are random) fails the command instead of waiting.
   */
  async waitForEvent(resourceId: string, type: string): Promise<string> {
    const opposite =
      type === 'payment.success' ? 'payment.failed' : type === 'payment.failed' ? 'payment.success' : null;
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline && !this.io.signal.aborted) {
      const result = await this.client.GET('/api/v1/events', {
        params: {
          query: { resource_id: resourceId, type: opposite ? `${type},${opposite}` : type, limit: 10 },
        },
      });
      const events = this.check('reading events', result).data;
      const found = events.find((event) => event.type === type);
      if (found) return found.id;
      if (opposite && events.some((event) => event.type === opposite)) {
        throw new Error(`${resourceId} ended with ${opposite} instead (is the API in test mode?)`);
      }
      await sleep(POLL_MS, this.io.signal);
    }
    throw new Error(`no ${type} event for ${resourceId} within ${WAIT_MS / 1000} s`);
  }
}
