import { Type } from 'typebox';
import { Cursor, CursorLimit, CursorPage, Nullable, Timestamp } from './common.js';

const EndpointStatus = Type.Union([Type.Literal('enabled'), Type.Literal('disabled')]);
const EnabledEvents = Type.Array(
  Type.String({ maxLength: 64, description: '`*`, an event type, or `resource.*`' }),
  {
    minItems: 1,
    maxItems: 50,
    default: ['*'],
  },
);
const Description = Nullable(Type.String({ maxLength: 500 }));

export const WebhookEndpoint = Type.Object({
  id: Type.String({ examples: ['we_Q2w9Lk3Xz8Rt5Yp1'] }),
  url: Type.String(),
  enabled_events: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  status: EndpointStatus,
  secret: Type.String({ description: 'Signs every delivery to this endpoint' }),
  created_at: Timestamp,
});

export const WebhookEndpointList = CursorPage(WebhookEndpoint);

export const WebhookEndpointListQuery = Type.Object(
  { limit: CursorLimit, starting_after: Type.Optional(Cursor('the last endpoint of the previous page')) },
  { additionalProperties: false },
);

export const WebhookEndpointCreateBody = Type.Object(
  {
    url: Type.String({ maxLength: 4096, examples: ['https://example.com/webhooks'] }),
    enabled_events: Type.Optional(EnabledEvents),
    description: Type.Optional(Description),
  },
  { additionalProperties: false },
);

export const WebhookEndpointUpdateBody = Type.Object(
  {
    url: Type.Optional(Type.String({ maxLength: 4096 })),
    enabled_events: Type.Optional(EnabledEvents),
    description: Type.Optional(Description),
    status: Type.Optional(EndpointStatus),
  },
  { additionalProperties: false },
);

export const WebhookEndpointDeleted = Type.Object({ id: Type.String(), deleted: Type.Literal(true) });

export const SecretRotateBody = Type.Union([
  Type.Object(
    {
      overlap_seconds: Type.Optional(
        Type.Integer({
          minimum: 0,
          maximum: 604_800,
          default: 86_400,
          description: 'How long the previous secret stays valid',
        }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);

export const RotatedSecret = Type.Object({ secret: Type.String() });

export const RecoverBody = Type.Object(
  { since: Timestamp, until: Type.Optional(Timestamp) },
  { additionalProperties: false },
);

export const Recovered = Type.Object({ queued: Type.Integer() });
