import { findOrder, findOrderForPayment, insertOrder } from '../db/orders.js';
import { notFound } from '../domain/errors.js';
import { isId, newId } from '../domain/ids.js';
import { assertOrderAmount, normaliseCurrency } from '../domain/money.js';
import type { OrderRecord } from '../domain/records.js';
import { orderCreatedView, orderPublicView, orderView } from '../domain/representations.js';
import type { Runtime } from '../runtime.js';
import { type Answer, createOnce, type IdempotencyRequest } from './idempotency.js';

export interface CreateOrderInput {
  amount: number;
  currency?: string;
  receipt?: string | null;
  notes?: object | null;
}

const MAX_ID_TRIES = 5;

export async function createOrder(
  runtime: Runtime,
  merchantId: string,
  input: CreateOrderInput,
  idempotency: Omit<IdempotencyRequest, 'merchantId'>,
): Promise<Answer> {
  assertOrderAmount(input.amount);
  const currency = normaliseCurrency(input.currency);
  return createOnce(runtime, { ...idempotency, merchantId }, async (claimOf) => {
    for (let tries = 0; tries < MAX_ID_TRIES; tries++) {
      const now = runtime.clock.now();
      const order: OrderRecord = {
        id: newId('order'),
        merchant_id: merchantId,
        amount: input.amount,
        currency,
        receipt: input.receipt ?? null,
        notes: (input.notes ?? {}) as Record<string, unknown>,
        status: 'created',
        created_at: now,
        updated_at: now,
      };
      const body = JSON.stringify(orderCreatedView(order));
      const result = await insertOrder(runtime.db, { order, claim: claimOf?.(201, body) });
      if (result.kind === 'inserted') return { status: 201, body };
    }
    throw new Error('could not allocate a unique order id');
  });
}

export async function getOrder(runtime: Runtime, merchantId: string, id: string) {
  const order = isId('order', id) ? await findOrder(runtime.db, id, merchantId) : null;
  if (!order) throw notFound('Order');
  return orderView(order);
}

export async function getPublicOrder(runtime: Runtime, id: string) {
  const order = isId('order', id) ? await findOrderForPayment(runtime.db, id) : null;
  if (!order) throw notFound('Order');
  return orderPublicView(order, order.merchant_name);
}
