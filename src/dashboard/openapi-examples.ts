import { ID_PREFIXES, type IdKind } from '../domain/ids.js';
import { type JsonSchema, jsonSchemaOf, type Operation } from './openapi-types.js';

/**
 * Example requests and responses for the API reference, made from the OpenAPI document's own
 * schemas: a field's declared example or default first, then a value its name suggests (an amount
 * in paise, an id with its resource's prefix), then one its type allows. So an example changes
 * with the schema, and the curl line names the headers the operation really takes.
 */
export interface SampleCredentials {
  apiUrl: string;
  apiKey: string;
  /** The secret to print, or null to reference $GATEWAY_API_SECRET (see SECRET_PLACEHOLDER). */
  apiSecret: string | null;
}

/** Stands in for the merchant's secret; the docs page may replace it in the browser. */
export const SECRET_PLACEHOLDER = '$GATEWAY_API_SECRET';

const SAMPLE_SUFFIX = 'H8sK3jD9s2L1pQr5';
const SAMPLE_UUID = '3f2b8c1e-5d4a-4e7b-9c2f-1a6d8e0b4c73';
const SAMPLE_TIME = '2024-01-15T10:31:00.000Z';

const sampleId = (kind: IdKind) => ID_PREFIXES[kind] + SAMPLE_SUFFIX;

/** The resource a path segment lists. */
const COLLECTIONS: Record<string, IdKind> = {
  orders: 'order',
  payments: 'payment',
  refunds: 'refund',
  events: 'event',
  webhook_endpoints: 'endpoint',
  request_logs: 'requestLog',
};

/** Fields that hold the id of a resource, whatever object they sit in. */
const ID_FIELDS: Record<string, IdKind> = {
  order_id: 'order',
  payment_id: 'payment',
  refund_id: 'refund',
  event_id: 'event',
  endpoint_id: 'endpoint',
  resource_id: 'payment',
};

/** Values a field's name calls for, where its type alone would give a meaningless one. */
const NAMED_VALUES: Record<string, unknown> = {
  amount: 50_000,
  amount_refunded: 0,
  currency: 'INR',
  receipt: 'receipt_123',
  vpa: 'user@paytm',
  email: 'owner@shop.example',
  merchant_name: 'Test Merchant',
  url: 'https://shop.example/webhooks',
  webhook_url: 'https://shop.example/webhooks',
  description: 'Order notifications',
  reason: 'Returned by the customer',
  event: 'payment.success',
  type: 'payment.success',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  webhook_secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  enabled_events: ['payment.success', 'refund.processed'],
  response_code: 200,
  status_code: 200,
  attempts: 1,
  total: 1,
  holder_name: 'Asha Rao',
  expiry_month: 12,
  expiry_year: 2030,
  cvv: '123',
  card_network: null,
  card_last4: null,
  error_code: null,
  error_description: null,
};

/** Which endpoint's resource a path is about: the last collection named in it. */
export function resourceOfPath(path: string): IdKind | undefined {
  const segments = path.split('/').filter((segment) => segment && !segment.startsWith('{'));
  for (const segment of segments.reverse()) {
    const kind = COLLECTIONS[segment];
    if (kind) return kind;
  }
  return undefined;
}

/** The resource whose id fills `{id}`: the collection just before it. */
function resourceOfParameter(path: string): IdKind | undefined {
  const match = /\/([a-z_]+)\/\{id\}/.exec(path);
  return match?.[1] ? COLLECTIONS[match[1]] : undefined;
}

function declaredExample(schema: JsonSchema): { value: unknown } | undefined {
  if (schema.example !== undefined) return { value: schema.example };
  if (schema.examples?.length) return { value: schema.examples[0] };
  if (schema.default !== undefined) return { value: schema.default };
  if (schema.const !== undefined) return { value: schema.const };
  if (schema.enum?.length) return { value: schema.enum[0] };
  return undefined;
}

const isNullSchema = (schema: JsonSchema) => schema.type === 'null';

/**
 * An example value for a schema. `name` is the field's own name and `resource` the kind of object
 * the field belongs to (an `id` is that resource's id); arrays get one item.
 */
export function exampleOf(schema: JsonSchema, name = '', resource?: IdKind): unknown {
  const declared = declaredExample(schema);
  if (declared) return declared.value;
  if (name in NAMED_VALUES) return NAMED_VALUES[name];
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants?.length) {
    const first = variants.find((variant) => !isNullSchema(variant)) ?? variants[0];
    return first ? exampleOf(first, name, resource) : null;
  }
  const idKind = ID_FIELDS[name] ?? (name === 'id' ? resource : undefined);
  if (schema.format === 'uuid') return SAMPLE_UUID;
  if (idKind && (schema.type === 'string' || schema.type === undefined)) return sampleId(idKind);
  switch (schema.type) {
    case 'object': {
      const inner = name === 'deliveries' || name === 'attempts' ? undefined : resource;
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, field]) => [key, exampleOf(field, key, inner)]),
      );
    }
    case 'array':
      return schema.items ? [exampleOf(schema.items, name, resource)] : [];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return false;
    case 'string':
      if (schema.format === 'date-time') return SAMPLE_TIME;
      if (schema.format === 'uri') return 'https://shop.example/return';
      return name || 'string';
    default:
      return null;
  }
}

/** The condition a field's description puts on it ("Required when method is card"), if any. */
export function requiredWhen(schema: JsonSchema): { field: string; value: string } | undefined {
  const match = /^Required when (\w+) is (\w+)/.exec(schema.description ?? '');
  return match?.[1] && match[2] ? { field: match[1], value: match[2] } : undefined;
}

/** Fields worth showing in an example body although not required. */
const SHOWN_OPTIONAL = new Set(['receipt', 'reason', 'description', 'enabled_events', 'url']);

/**
 * The body of an example request: the required fields, the conditional ones that apply to the
 * example (a UPI payment carries a `vpa`, not a `card`), and a few optional ones a reader expects.
 */
export function exampleBody(schema: JsonSchema, resource?: IdKind): Record<string, unknown> {
  const required = new Set(schema.required ?? []);
  const body: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (required.has(name)) body[name] = exampleOf(field, name, resource);
  }
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (required.has(name)) continue;
    const condition = requiredWhen(field);
    const applies = condition ? body[condition.field] === condition.value : SHOWN_OPTIONAL.has(name);
    if (applies) body[name] = exampleOf(field, name, resource);
  }
  return body;
}

export const takesIdempotencyKey = (op: Operation) =>
  (op.parameters ?? []).some(
    (parameter) => parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key',
  );

const isAuthenticated = (op: Operation) => (op.security ?? []).length > 0;

const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

/** A curl command that performs the operation as documented, ready to paste into a shell. */
export function curlExample(
  method: string,
  path: string,
  op: Operation,
  credentials: SampleCredentials,
): string {
  const idKind = resourceOfParameter(path);
  const concretePath = path.replace(/\{id\}/g, idKind ? sampleId(idKind) : SAMPLE_UUID);
  const streams = path.endsWith('/stream');
  const lines = [
    `curl${streams ? ' -N' : ''}${method === 'get' ? '' : ` -X ${method.toUpperCase()}`} ${credentials.apiUrl.replace(/\/+$/, '')}${concretePath}`,
  ];
  if (isAuthenticated(op)) {
    lines.push(`-H "X-Api-Key: ${credentials.apiKey}"`);
    lines.push(`-H "X-Api-Secret: ${credentials.apiSecret ?? SECRET_PLACEHOLDER}"`);
  }
  if (takesIdempotencyKey(op)) lines.push(`-H "Idempotency-Key: ${SAMPLE_UUID}"`);
  const bodySchema = jsonSchemaOf(op.requestBody);
  if (bodySchema) {
    const body = exampleBody(bodySchema, resourceOfPath(path));
    lines.push('-H "Content-Type: application/json"');
    lines.push(`-d ${shellQuote(JSON.stringify(body, null, 2).replace(/\n/g, '\n  '))}`);
  }
  return lines.join(' \\\n  ');
}

/** The first successful response of an operation, with an example body when it has a JSON schema. */
export function responseExample(path: string, op: Operation): { status: string; body: string } | undefined {
  const entry = Object.entries(op.responses ?? {}).find(([status]) => status.startsWith('2'));
  if (!entry) return undefined;
  const [status, response] = entry;
  const schema = jsonSchemaOf(response);
  if (!schema) return { status, body: response.description ?? '' };
  return { status, body: JSON.stringify(exampleOf(schema, '', resourceOfPath(path)), null, 2) };
}
