import { Type } from 'typebox';
import { MAX_AMOUNT } from '../domain/money.js';
import { Page, PaginationQuery } from './pagination.js';

/**
 * One schema per shape: each validates input (or serialises output) and documents itself in the
 * OpenAPI document. Property order is the order of the JSON the gateway answers with.
 */
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time', examples: ['2024-01-15T10:31:00.000Z'] });
const Amount = Type.Integer({
  minimum: 100,
  maximum: MAX_AMOUNT,
  description: 'In the smallest unit (paise)',
});
const Currency = Type.String({ minLength: 3, maxLength: 3, examples: ['INR'] });

export const ErrorResponse = Type.Object({
  error: Type.Object({
    code: Type.String(),
    description: Type.String(),
    field: Type.Optional(Type.String()),
    request_id: Type.Optional(Type.String()),
  }),
});

export const IdParams = Type.Object({ id: Type.String({ maxLength: 256 }) });

export const Pagination = PaginationQuery;

const NoteValue = Type.Union([Type.String({ maxLength: 2048 }), Type.Number(), Type.Boolean(), Type.Null()]);

export const OrderCreateBody = Type.Object(
  {
    amount: Amount,
    currency: Type.Optional(Currency),
    receipt: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
    notes: Type.Optional(
      Type.Union([Type.Object({}, { additionalProperties: NoteValue, maxProperties: 15 }), Type.Null()]),
    ),
  },
  { additionalProperties: false },
);

const OrderFields = {
  id: Type.String({ examples: ['order_NXhj67fGH2jk9mPq'] }),
  merchant_id: Type.String({ format: 'uuid' }),
  amount: Type.Integer(),
  currency: Type.String(),
  receipt: Type.Union([Type.String(), Type.Null()]),
  notes: Type.Object({}, { additionalProperties: true }),
  status: Type.Union([Type.Literal('created'), Type.Literal('paid')]),
  created_at: Timestamp,
};

export const OrderCreated = Type.Object(OrderFields);
export const Order = Type.Object({ ...OrderFields, updated_at: Timestamp });
export const OrderPublic = Type.Object({
  id: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  status: Type.String(),
  merchant_name: Type.String(),
});

const CardBody = Type.Object(
  {
    number: Type.String({ maxLength: 32, examples: ['4111 1111 1111 1111'] }),
    expiry_month: Type.Union([Type.String({ maxLength: 4 }), Type.Integer()]),
    expiry_year: Type.Union([Type.String({ maxLength: 4 }), Type.Integer()]),
    cvv: Type.String({ maxLength: 8 }),
    holder_name: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  },
  { additionalProperties: false },
);

export const PaymentCreateBody = Type.Object(
  {
    order_id: Type.String({ maxLength: 64 }),
    method: Type.Union([Type.Literal('upi'), Type.Literal('card')]),
    vpa: Type.Optional(Type.String({ maxLength: 255, examples: ['user@paytm'] })),
    card: Type.Optional(CardBody),
  },
  { additionalProperties: false },
);

const Method = Type.Union([Type.Literal('upi'), Type.Literal('card')]);
const PaymentStatus = Type.Union([Type.Literal('pending'), Type.Literal('success'), Type.Literal('failed')]);
const CardSummary = {
  card_network: Type.Optional(Type.String()),
  card_last4: Type.Optional(Type.String()),
};

export const PaymentCreated = Type.Object({
  id: Type.String({ examples: ['pay_H8sK3jD9s2L1pQr5'] }),
  order_id: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  method: Method,
  vpa: Type.Union([Type.String(), Type.Null()]),
  ...CardSummary,
  status: PaymentStatus,
  created_at: Timestamp,
});

// A stored payment always shows all three instrument fields (null where they do not apply), so a
// response has one shape whatever the method.
export const Payment = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  method: Method,
  vpa: Type.Union([Type.String(), Type.Null()]),
  card_network: Type.Union([Type.String(), Type.Null()]),
  card_last4: Type.Union([Type.String(), Type.Null()]),
  status: PaymentStatus,
  captured: Type.Boolean(),
  amount_refunded: Type.Integer(),
  error_code: Type.Union([Type.String(), Type.Null()]),
  error_description: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const PaymentPublic = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  method: Method,
  status: PaymentStatus,
  error_code: Type.Union([Type.String(), Type.Null()]),
  error_description: Type.Union([Type.String(), Type.Null()]),
});

export const PaymentList = Page(Payment);

export const PaymentListQuery = Type.Object(
  { ...Pagination, status: Type.Optional(PaymentStatus) },
  { additionalProperties: false },
);

export const CaptureBody = Type.Object(
  { amount: Type.Integer({ minimum: 1, maximum: MAX_AMOUNT }) },
  { additionalProperties: false },
);

export const PaymentCaptured = Type.Object({
  id: Type.String(),
  order_id: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  method: Method,
  status: PaymentStatus,
  captured: Type.Boolean(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const Health = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  database: Type.String(),
  redis: Type.String(),
  timestamp: Timestamp,
});

export const TestMerchant = Type.Object({
  id: Type.String(),
  email: Type.String(),
  api_key: Type.String(),
  seeded: Type.Boolean(),
});

export const JobsStatus = Type.Object({
  pending: Type.Integer(),
  processing: Type.Integer(),
  completed: Type.Integer(),
  failed: Type.Integer(),
  worker_status: Type.Union([Type.Literal('running'), Type.Literal('stopped')]),
});

/** Standard error responses a route can give, for the OpenAPI document. */
export const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));

export const RefundCreateBody = Type.Object(
  {
    amount: Type.Integer({
      minimum: 1,
      maximum: MAX_AMOUNT,
      description: 'In paise; at most what is left to refund',
    }),
    reason: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  },
  { additionalProperties: false },
);

const RefundStatus = Type.Union([Type.Literal('pending'), Type.Literal('processed')]);
const RefundFields = {
  id: Type.String({ examples: ['rfnd_Xk3l9Qw2Zr5Tb7Np'] }),
  payment_id: Type.String(),
  amount: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  status: RefundStatus,
  created_at: Timestamp,
};
export const RefundCreated = Type.Object(RefundFields);
export const Refund = Type.Object({ ...RefundFields, processed_at: Type.Union([Timestamp, Type.Null()]) });
export const RefundList = Page(Refund);
export const PageQuery = Type.Object(Pagination, { additionalProperties: false });

const WebhookStatus = Type.Union([Type.Literal('pending'), Type.Literal('success'), Type.Literal('failed')]);
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
const WebhookSummaryFields = {
  id: Type.String({ format: 'uuid' }),
  event: Type.String({ examples: ['payment.success'] }),
  status: WebhookStatus,
  attempts: Type.Integer(),
  created_at: Timestamp,
  last_attempt_at: NullableTimestamp,
  next_retry_at: NullableTimestamp,
  response_code: Type.Union([Type.Integer(), Type.Null()]),
};
export const WebhookList = Page(Type.Object(WebhookSummaryFields));
export const WebhookListQuery = Type.Object(
  {
    ...Pagination,
    status: Type.Optional(WebhookStatus),
    event: Type.Optional(Type.String({ maxLength: 64 })),
    resource_id: Type.Optional(
      Type.String({ maxLength: 64, description: 'Only events of this payment or refund' }),
    ),
  },
  { additionalProperties: false },
);
export const WebhookDetail = Type.Object({
  ...WebhookSummaryFields,
  resource_id: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Object(
    {},
    { additionalProperties: true, description: 'The exact body that was signed and sent' },
  ),
  response_body: Type.Union([Type.String(), Type.Null()]),
  attempt_history: Type.Array(
    Type.Object({
      attempt: Type.Integer(),
      round: Type.Integer({ description: '1 for the original delivery, +1 for each manual retry' }),
      url: Type.Union([Type.String(), Type.Null()]),
      response_code: Type.Union([Type.Integer(), Type.Null()]),
      response_body: Type.Union([Type.String(), Type.Null()]),
      error: Type.Union([Type.String(), Type.Null()]),
      duration_ms: Type.Integer(),
      attempted_at: Timestamp,
    }),
  ),
});
export const WebhookRetried = Type.Object({
  id: Type.String(),
  status: Type.Literal('pending'),
  message: Type.String(),
});
export const UuidParams = Type.Object({ id: Type.String({ maxLength: 256 }) });

export const WebhookConfig = Type.Object({
  webhook_url: Type.Union([Type.String(), Type.Null()]),
  webhook_secret: Type.String(),
});
export const WebhookConfigBody = Type.Object(
  { webhook_url: Type.Union([Type.String({ maxLength: 4096 }), Type.Null()]) },
  { additionalProperties: false },
);
export const WebhookSecret = Type.Object({ webhook_secret: Type.String() });
export const WebhookTestQueued = Type.Object({ id: Type.String({ format: 'uuid' }) });
