import { Type } from 'typebox';
import { fieldsOf, Nullable, NullableTimestamp, Page, PaginationQuery, Timestamp } from './common.js';

/** A delivery of an event to an endpoint (a "webhook log"). */
export const WebhookStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('success'),
  Type.Literal('failed'),
]);

export const WebhookSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  event: Type.String({ examples: ['payment.success'] }),
  status: WebhookStatus,
  attempts: Type.Integer(),
  created_at: Timestamp,
  last_attempt_at: NullableTimestamp,
  next_retry_at: NullableTimestamp,
  response_code: Nullable(Type.Integer()),
  endpoint_id: Nullable(Type.String({ description: 'The endpoint it is delivered to' })),
  event_id: Nullable(Type.String({ description: 'The event it delivers' })),
});

export const WebhookList = Page(WebhookSummary);

export const WebhookListQuery = Type.Object(
  {
    ...PaginationQuery,
    status: Type.Optional(WebhookStatus),
    event: Type.Optional(Type.String({ maxLength: 64 })),
    resource_id: Type.Optional(
      Type.String({ maxLength: 64, description: 'Only events of this payment or refund' }),
    ),
    endpoint_id: Type.Optional(
      Type.String({ maxLength: 64, description: 'Only deliveries to this endpoint' }),
    ),
    event_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only deliveries of this event' })),
  },
  { additionalProperties: false },
);

export const WebhookAttempt = Type.Object({
  attempt: Type.Integer(),
  round: Type.Integer({ description: '1 for the original delivery, +1 for each manual retry or resend' }),
  url: Nullable(Type.String()),
  response_code: Nullable(Type.Integer()),
  response_body: Nullable(Type.String()),
  request_headers: Nullable(Type.Record(Type.String(), Type.String(), { description: 'The headers sent' })),
  error: Nullable(Type.String()),
  duration_ms: Type.Integer(),
  attempted_at: Timestamp,
});

export const WebhookDetail = Type.Object({
  ...WebhookSummary.properties,
  resource_id: Nullable(Type.String()),
  payload: Type.Object(
    {},
    { additionalProperties: true, description: 'The exact body that was signed and sent' },
  ),
  response_body: Nullable(Type.String()),
  attempt_history: Type.Array(WebhookAttempt),
});

export const WebhookRetried = Type.Object({
  id: Type.String(),
  status: Type.Literal('pending'),
  message: Type.String(),
});

export const UuidParams = Type.Object({ id: Type.String({ maxLength: 256 }) });

export const WebhookConfig = Type.Object({
  webhook_url: Nullable(Type.String()),
  webhook_secret: Type.String(),
});
export const WebhookConfigBody = Type.Object(
  { webhook_url: Nullable(Type.String({ maxLength: 4096 })) },
  { additionalProperties: false },
);
export const WebhookSecret = Type.Object(fieldsOf(WebhookConfig, ['webhook_secret']));
export const WebhookTestQueued = Type.Object({ id: Type.String({ format: 'uuid' }) });
