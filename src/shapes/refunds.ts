import { Type } from 'typebox';
import { MAX_AMOUNT } from '../domain/money.js';
import { fieldsOf, Nullable, NullableTimestamp, Page, Timestamp } from './common.js';

export const RefundCreateBody = Type.Object(
  {
    amount: Type.Integer({
      minimum: 1,
      maximum: MAX_AMOUNT,
      description: 'In paise; at most what is left to refund',
    }),
    reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  },
  { additionalProperties: false },
);

export const Refund = Type.Object({
  id: Type.String({ examples: ['rfnd_Xk3l9Qw2Zr5Tb7Np'] }),
  payment_id: Type.String(),
  amount: Type.Integer(),
  reason: Nullable(Type.String()),
  status: Type.Union([Type.Literal('pending'), Type.Literal('processed')]),
  created_at: Timestamp,
  processed_at: NullableTimestamp,
});

export const RefundCreated = Type.Object(
  fieldsOf(Refund, ['id', 'payment_id', 'amount', 'reason', 'status', 'created_at']),
);

export const RefundList = Page(Refund);
