import { type ApiResponse, request, TEST_AUTH, VALID_CARD } from './gateway.js';

export interface LoadOptions {
  /** The API's base URL. */
  url: string;
  auth?: { key: string; secret: string };
  /** Flows running at once; each creates an order, pays it, and (optionally) refunds it. */
  concurrency: number;
  /** Every n-th payment is by card (default 3). */
  cardEvery?: number;
  /** Every n-th payment goes through the public checkout endpoint (default 4). */
  publicEvery?: number;
  /** Every n-th payment uses the always-declined test VPA (default 7). */
  declineEvery?: number;
  /**
   * Every n-th order gets a second payment at once, through the other endpoint, before the first is
   * decided (default 5): at most one of them may succeed; 0 turns it off.
   */
  secondPaymentEvery?: number;
  /** Wait for each payment's outcome and refund successful ones in two parts (default true). */
  refunds?: boolean;
  /** A request taking longer counts as a hang (a bound, not a benchmark). Default 5 s. */
  hangGuardMs?: number;
  /** Statuses that mean "try again with the same Idempotency-Key" (e.g. 503 while the database is down). */
  retryStatuses?: number[];
  /** How long one step is retried before the flow gives up on it (default 90 s). */
  stepDeadlineMs?: number;
}

export interface LedgerPayment {
  id: string;
  orderId: string;
  method: 'upi' | 'card';
  declined: boolean;
  /** A second attempt on an order that already had one. */
  second: boolean;
  refunds: string[];
}

/**
 * Realistic, small, continuous traffic for fault tests. Every creating request carries an
 * Idempotency-Key and is retried with the same key after a transient failure, exactly as a careful
 * merchant would; the ledger records what the client was told, to be compared with what the database
 * holds. Anything unexpected (a 5xx that is not allowed, a 4xx, a hang) is recorded, never thrown.
 */
export class PaymentLoad {
  readonly orders = new Map<string, number>();
  readonly payments = new Map<string, LedgerPayment>();
  readonly refunds = new Map<string, { paymentId: string; amount: number }>();
  /** "METHOD route status" → count. */
  readonly statuses = new Map<string, number>();
  readonly unexpected: string[] = [];
  readonly hangs: string[] = [];
  /** Steps abandoned after stepDeadlineMs of transient failures. */
  readonly abandoned: string[] = [];
  private stopping = false;
  private sequence = 0;
  private readonly flows: Promise<void>[] = [];
  private readonly runId = Math.random().toString(36).slice(2, 8);

  constructor(private readonly options: LoadOptions) {}

  start(): this {
    for (let i = 0; i < this.options.concurrency; i++) this.flows.push(this.loop());
    return this;
  }

  /** Stops starting new flows and waits for the ones in progress to finish. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.flows);
  }

  get completedFlows(): number {
    return this.payments.size;
  }

  count(prefix: string): number {
    let total = 0;
    for (const [key, n] of this.statuses) if (key.startsWith(prefix)) total += n;
    return total;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      await this.flow(++this.sequence);
      await sleep(10); // a flow that failed at once must not turn into a tight loop
    }
  }

  private async flow(n: number): Promise<void> {
    const o = this.options;
    const amount = 1000 + ((n * 7919) % 99_000);
    const order = await this.create('POST /orders', '/api/v1/orders', { amount }, `o-${n}`);
    if (!order) return;
    this.orders.set(order.id, amount);

    const method = n % (o.cardEvery ?? 3) === 0 ? 'card' : 'upi';
    const declined = n % (o.declineEvery ?? 7) === 0;
    const instrument =
      method === 'card'
        ? { card: { ...VALID_CARD, number: declined ? '4000 0000 0000 0002' : VALID_CARD.number } }
        : { vpa: declined ? 'failure@test' : `payer${n}@okbank` };
    const publicPath = n % (o.publicEvery ?? 4) === 0;
    const payment = await this.create(
      `POST /payments${publicPath ? '/public' : ''}`,
      publicPath ? '/api/v1/payments/public' : '/api/v1/payments',
      { order_id: order.id, method, ...instrument },
      `p-${n}`,
      publicPath,
    );
    if (!payment) return;
    const entry: LedgerPayment = {
      id: payment.id,
      orderId: order.id,
      method,
      declined,
      second: false,
      refunds: [],
    };
    this.payments.set(payment.id, entry);
    const secondEvery = o.secondPaymentEvery ?? 5;
    if (secondEvery > 0 && n % secondEvery === 0) {
      // Paying twice, as a buyer in two tabs does: a 400 "Order already paid" is a fair answer too.
      const secondPublic = !publicPath;
      const second = await this.create(
        `POST /payments${secondPublic ? '/public' : ''}`,
        secondPublic ? '/api/v1/payments/public' : '/api/v1/payments',
        { order_id: order.id, method: 'upi', vpa: `second${n}@okbank` },
        `p2-${n}`,
        secondPublic,
        [400],
      );
      if (second) {
        this.payments.set(second.id, {
          id: second.id,
          orderId: order.id,
          method: 'upi',
          declined: false,
          second: true,
          refunds: [],
        });
      }
    }
    if (o.refunds === false || declined) return;

    const decided = await this.waitForDecision(payment.id);
    if (decided !== 'success') return;
    const first = Math.floor(amount / 3);
    for (const [part, refundAmount] of [first, amount - first - 100].entries()) {
      const refund = await this.create(
        'POST /refunds',
        `/api/v1/payments/${payment.id}/refunds`,
        { amount: refundAmount, reason: `fault run part ${part + 1}` },
        `r-${n}-${part}`,
      );
      if (!refund) return;
      entry.refunds.push(refund.id);
      this.refunds.set(refund.id, { paymentId: payment.id, amount: refundAmount });
    }
  }

  private async waitForDecision(paymentId: string): Promise<string | null> {
    const deadline = Date.now() + (this.options.stepDeadlineMs ?? 90_000);
    while (Date.now() < deadline) {
      const res = await this.send('GET /payments/:id', 'GET', `/api/v1/payments/${paymentId}`);
      const status = res?.status === 200 ? (res.body.status as string) : null;
      if (status && status !== 'pending') return status;
      await sleep(250);
    }
    this.abandoned.push(`decision of ${paymentId}`);
    return null;
  }

  /** A creating POST, retried with its Idempotency-Key until it is answered 201 (or given up on). */
  private async create(
    label: string,
    path: string,
    body: unknown,
    key: string,
    isPublic = false,
    acceptable: number[] = [],
  ): Promise<{ id: string } | null> {
    const deadline = Date.now() + (this.options.stepDeadlineMs ?? 90_000);
    const headers = { 'Idempotency-Key': `${this.runId}-${key}` };
    while (Date.now() < deadline) {
      const res = await this.send(
        label,
        'POST',
        path,
        { body, headers, auth: isPublic ? false : undefined },
        acceptable,
      );
      if (res?.status === 201) return res.body as { id: string };
      if (res && !this.isTransient(res.status)) return null;
      await sleep(200);
    }
    this.abandoned.push(`${label} ${key}`);
    return null;
  }

  private isTransient(status: number): boolean {
    return (this.options.retryStatuses ?? []).includes(status);
  }

  /** One request under the hang guard; null when it failed without an HTTP answer. */
  private async send(
    label: string,
    method: string,
    path: string,
    extra: { body?: unknown; headers?: Record<string, string>; auth?: false } = {},
    acceptable: number[] = [],
  ): Promise<ApiResponse | null> {
    const guard = this.options.hangGuardMs ?? 5000;
    const auth = extra.auth ??
      this.options.auth ?? { key: TEST_AUTH['X-Api-Key'], secret: TEST_AUTH['X-Api-Secret'] };
    const started = Date.now();
    try {
      const res = await request(this.options.url, method, path, { ...extra, auth, timeoutMs: guard });
      this.tally(`${label} ${res.status}`);
      const expected = res.status < 300 || this.isTransient(res.status) || acceptable.includes(res.status);
      if (!expected) this.unexpected.push(`${label} → ${res.status} ${res.text.slice(0, 200)}`);
      return res;
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        this.hangs.push(`${label} unanswered after ${Date.now() - started} ms`);
      }
      this.tally(`${label} no-answer`);
      return null;
    }
  }

  private tally(key: string): void {
    this.statuses.set(key, (this.statuses.get(key) ?? 0) + 1);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
