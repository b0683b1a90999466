import { findOrder, findOrderForPayment, insertOrders } from '../db/orders.js';
import { notFound } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import { assertOrderAmount, normaliseCurrency } from '../domain/money.js';
import type { OrderRecord } from '../domain/records.js';
import { orderCreatedView, orderPublicView, orderView } from '../domain/representations.js';
import type { Runtime } from '../runtime.js';
import { withFreshId } from './fresh-id.js';
import { type Answer, type IdempotencyScope, runIdempotent } from './idempotent.js';
import { insertTogether } from './insert-together.js';

export interface CreateOrderInput {
  amount: number;
  currency?: string;
  receipt?: string | null;
  notes?: object | null;
}

export async function createOrder(
  rt: Runtime,
  merchantId: string,
  input: CreateOrderInput,
  scope: IdempotencyScope,
): Promise<Answer> {
  assertOrderAmount(input.amount);
  const currency = normaliseCurrency(input.currency);
  return runIdempotent(rt, scope, (db) =>
    withFreshId('order', async (id) => {
      const now = rt.clock.now();
      const order: OrderRecord = {
        id,
        merchant_id: merchantId,
        amount: input.amount,
        currency,
        receipt: input.receipt ?? null,
        notes: (input.notes ?? {}) as Record<string, unknown>,
        status: 'created',
        created_at: now,
        updated_at: now,
      };
      if (!(await insertTogether(rt, db, 'orders', insertOrders, order))) return 'collision';
      return { status: 201, body: JSON.stringify(orderCreatedView(order)) };
    }),
  );
}

export async function getOrder(rt: Runtime, merchantId: string, id: string) {
  const order = isId('order', id) ? await findOrder(rt.db, id, merchantId) : null;
  if (!order) throw notFound('Order');
  return orderView(order);
}

export async function getPublicOrder(rt: Runtime, id: string) {
  const order = isId('order', id) ? await findOrderForPayment(rt.db, id) : null;
  if (!order) throw notFound('Order');
  return orderPublicView(order, order.merchant_name);
}
