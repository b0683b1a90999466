import { Type } from 'typebox';
import { Cursor, CursorLimit, CursorPage, Nullable, Timestamp } from './common.js';

export const RequestLog = Type.Object({
  id: Type.String({ examples: ['req_Mq3Zk81LdPw0vXs2'] }),
  request_id: Type.String({ description: 'The X-Request-Id the request was answered with' }),
  method: Type.String({ examples: ['POST'] }),
  path: Type.String({ examples: ['/api/v1/payments'] }),
  status: Type.Integer({ examples: [201] }),
  duration_ms: Type.Number({ examples: [12.4] }),
  idempotency_key: Nullable(Type.String()),
  created_at: Timestamp,
});

export const RequestLogList = CursorPage(RequestLog);

const AnyJson = Nullable(
  Type.Unknown({ description: 'JSON, redacted: no secret, no card number beyond its last four digits' }),
);

export const RequestLogDetail = Type.Object({
  ...RequestLog.properties,
  request_body: AnyJson,
  response_body: AnyJson,
});

export const RequestLogListQuery = Type.Object(
  {
    status: Type.Optional(
      Type.String({ pattern: '^[1-5]([0-9]{2}|xx)$', description: 'A status (`201`) or a class (`4xx`)' }),
    ),
    method: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3,7}$', description: 'GET, POST, …' })),
    path: Type.Optional(
      Type.String({ maxLength: 2048, description: 'Paths starting with this, e.g. `/api/v1/payments`' }),
    ),
    limit: CursorLimit,
    starting_after: Type.Optional(Cursor('the last entry of the previous page (older entries follow)')),
    ending_before: Type.Optional(Cursor('the first entry of the next page (newer entries follow)')),
  },
  { additionalProperties: false },
);
