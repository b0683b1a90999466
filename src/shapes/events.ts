import { Type } from 'typebox';
import { Cursor, CursorLimit, CursorPage, fieldsOf, Timestamp } from './common.js';
import { WebhookSummary } from './webhooks.js';

export const Event = Type.Object({
  id: Type.String({ examples: ['evt_Jd83kLq0Zx7Vb2Nm'] }),
  type: Type.String({ examples: ['payment.success'] }),
  created_at: Timestamp,
  data: Type.Object({}, { additionalProperties: true, description: 'What the webhook payload carries' }),
});

export const EventList = CursorPage(Event);

export const EventListQuery = Type.Object(
  {
    type: Type.Optional(
      Type.String({
        maxLength: 500,
        description: 'Event types, comma-separated; `payment.*` selects every payment event',
      }),
    ),
    resource_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only events of this object' })),
    limit: CursorLimit,
    starting_after: Type.Optional(Cursor('the last event of the previous page (older events follow)')),
    ending_before: Type.Optional(Cursor('the first event of the next page (newer events follow)')),
  },
  { additionalProperties: false },
);

export const EventDelivery = Type.Object(
  fieldsOf(WebhookSummary, ['id', 'endpoint_id', 'status', 'attempts', 'last_attempt_at', 'response_code']),
);

export const EventDetail = Type.Object({ ...Event.properties, deliveries: Type.Array(EventDelivery) });

export const EventResendBody = Type.Union(
  [
    Type.Object(
      { endpoint_id: Type.Optional(Type.String({ maxLength: 64, description: 'Only to this endpoint' })) },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: 'Without endpoint_id: to every enabled endpoint whose filter selects the event' },
);

export const EventResent = Type.Object({
  deliveries: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), endpoint_id: Type.String() })),
});

export const EventStreamQuery = Type.Object(
  {
    type: EventListQuery.properties.type,
    last_event_id: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'Resume after this event, for clients that cannot send the Last-Event-ID header',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ListenSecret = Type.Object({
  secret: Type.String({
    examples: ['whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH'],
    description: 'What `gateway listen` signs forwarded events with; the same on every call',
  }),
});
