import { Type } from 'typebox';
import { MAX_AMOUNT, MIN_AMOUNT } from '../domain/money.js';
import { fieldsOf, Nullable, Timestamp } from './common.js';

export const Amount = Type.Integer({
  minimum: MIN_AMOUNT,
  maximum: MAX_AMOUNT,
  description: 'In the smallest unit (paise)',
});
export const Currency = Type.String({ minLength: 3, maxLength: 3, examples: ['INR'] });

const NoteValue = Type.Union([Type.String({ maxLength: 2048 }), Type.Number(), Type.Boolean(), Type.Null()]);

export const OrderCreateBody = Type.Object(
  {
    amount: Amount,
    currency: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 3,
        examples: ['INR'],
        description: 'ISO 4217 code; INR when left out',
      }),
    ),
    receipt: Type.Optional(
      Nullable(Type.String({ maxLength: 255, description: 'Your own reference, such as an invoice number' })),
    ),
    notes: Type.Optional(
      Type.Union([Type.Object({}, { additionalProperties: NoteValue, maxProperties: 15 }), Type.Null()], {
        description: 'Up to 15 keys of your own, returned as given',
      }),
    ),
  },
  { additionalProperties: false },
);

export const Order = Type.Object({
  id: Type.String({ examples: ['order_NXhj67fGH2jk9mPq'] }),
  merchant_id: Type.String({ format: 'uuid' }),
  amount: Type.Integer(),
  currency: Type.String(),
  receipt: Nullable(Type.String()),
  notes: Type.Object({}, { additionalProperties: true }),
  status: Type.Union([Type.Literal('created'), Type.Literal('paid')], {
    description: 'paid once one of its payments succeeds; an order is charged at most once',
  }),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const OrderCreated = Type.Object(
  fieldsOf(Order, ['id', 'merchant_id', 'amount', 'currency', 'receipt', 'notes', 'status', 'created_at']),
);

export const OrderPublic = Type.Object({
  ...fieldsOf(Order, ['id', 'amount', 'currency', 'status']),
  merchant_name: Type.String(),
});
