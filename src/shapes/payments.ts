import { Type } from 'typebox';
import { MAX_AMOUNT } from '../domain/money.js';
import { fieldsOf, Nullable, Page, PaginationQuery, Timestamp } from './common.js';

const CardBody = Type.Object(
  {
    number: Type.String({
      maxLength: 32,
      examples: ['4111 1111 1111 1111'],
      description: 'Spaces and dashes allowed; only the network and last four digits are kept',
    }),
    expiry_month: Type.Union([Type.String({ maxLength: 4 }), Type.Integer()], { description: '1 to 12' }),
    expiry_year: Type.Union([Type.String({ maxLength: 4 }), Type.Integer()], {
      description: 'Two or four digits; the card must not have expired',
    }),
    cvv: Type.String({ maxLength: 8, description: '3 or 4 digits; checked, never stored' }),
    holder_name: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  },
  { additionalProperties: false, description: 'Required when method is card' },
);

export const PaymentCreateBody = Type.Object(
  {
    order_id: Type.String({
      maxLength: 64,
      description: 'The order to pay; at most one of its payments ever succeeds, and a paid order is refused',
    }),
    method: Type.Union([Type.Literal('upi'), Type.Literal('card')], {
      description: 'upi needs vpa; card needs card',
    }),
    vpa: Type.Optional(
      Type.String({ maxLength: 255, examples: ['user@paytm'], description: 'Required when method is upi' }),
    ),
    card: Type.Optional(CardBody),
    amount: Type.Optional(
      Type.Integer({ maximum: MAX_AMOUNT, description: "The order's amount; refused when it differs" }),
    ),
    currency: Type.Optional(
      Type.String({ maxLength: 3, description: "The order's currency; refused when it differs" }),
    ),
  },
  { additionalProperties: false },
);

const Method = Type.Union([Type.Literal('upi'), Type.Literal('card')]);
export const PaymentStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('success'), Type.Literal('failed')],
  { description: 'pending until the bank decides, then success or failed' },
);

// A stored payment always shows all three instrument fields (null where they do not apply), so a
// response has one shape whatever the method.
export const Payment = Type.Object({
  id: Type.String({ examples: ['pay_H8sK3jD9s2L1pQr5'] }),
  order_id: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  method: Method,
  vpa: Nullable(Type.String()),
  card_network: Nullable(Type.String()),
  card_last4: Nullable(Type.String()),
  status: PaymentStatus,
  captured: Type.Boolean({ description: 'Whether POST /payments/{id}/capture has captured it' }),
  amount_refunded: Type.Integer({ description: 'Refunds processed or in progress, in paise' }),
  error_code: Nullable(Type.String({ description: 'Why it failed; see the test values for each code' })),
  error_description: Nullable(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});

const head = fieldsOf(Payment, ['id', 'order_id', 'amount', 'currency', 'method']);

/** The answer to a new payment: card payments also carry their network and last four digits. */
export const PaymentCreated = Type.Object({
  ...head,
  ...fieldsOf(Payment, ['vpa']),
  card_network: Type.Optional(Type.String()),
  card_last4: Type.Optional(Type.String()),
  ...fieldsOf(Payment, ['status', 'created_at']),
});

export const PaymentPublic = Type.Object({
  ...head,
  ...fieldsOf(Payment, ['status', 'error_code', 'error_description']),
});

export const PaymentCaptured = Type.Object({
  ...head,
  ...fieldsOf(Payment, ['status', 'captured', 'created_at', 'updated_at']),
});

/** The payment as webhook payloads carry it; a failed one also says why. */
export const PaymentInEvent = Type.Object({
  ...head,
  ...fieldsOf(Payment, ['vpa', 'status', 'created_at']),
  error_code: Type.Optional(Nullable(Type.String())),
  error_description: Type.Optional(Nullable(Type.String())),
});

export const PaymentList = Page(Payment);

export const PaymentListQuery = Type.Object(
  { ...PaginationQuery, status: Type.Optional(PaymentStatus) },
  { additionalProperties: false },
);

export const CaptureBody = Type.Object(
  { amount: Type.Integer({ minimum: 1, maximum: MAX_AMOUNT }) },
  { additionalProperties: false },
);
