import fc from 'fast-check';

/**
 * fast-check arbitraries generated from the OpenAPI document the API serves, so the fuzzer follows
 * the API as it changes. Values are mostly shaped like the schema (so requests get past validation
 * and reach the services and the database), with hostile values mixed into every field: wrong types,
 * boundaries, huge and strange strings, and real ids of existing objects.
 */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxProperties?: number;
  format?: string;
}

export interface Operation {
  method: string;
  /** OpenAPI path template, e.g. /api/v1/payments/{id}/refunds */
  path: string;
  pathParams: string[];
  query: Array<{ name: string; schema: JsonSchema }>;
  body?: JsonSchema;
  secured: boolean;
  responses: string[];
}

interface OpenApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string; schema: JsonSchema }>;
        requestBody?: { content?: Record<string, { schema: JsonSchema }> };
        security?: unknown[];
        responses?: Record<string, unknown>;
      }
    >
  >;
}

export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
      query: (op.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => ({ name: p.name, schema: p.schema })),
      body: op.requestBody?.content?.['application/json']?.schema,
      secured: (op.security ?? []).length > 0,
      responses: Object.keys(op.responses ?? {}),
    })),
  );
}

const EDGE_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'null',
  'undefined',
  'NaN',
  "' OR '1'='1' --",
  '"; DROP TABLE payments; --',
  '../../../../etc/passwd',
  '%00',
  '\u0000',
  '\ud800',
  '\u202e',
  '𝕏🙂',
  '<script>alert(1)</script>',
  '$' + '{7*7}{{7*7}}', // template injection probe (split so it is not read as a template literal)
  '__proto__',
  'constructor',
  'a'.repeat(300),
  'ж'.repeat(3000),
];

const EDGE_NUMBERS = [
  0,
  -0,
  -1,
  1,
  99,
  100,
  0.5,
  99.99,
  2 ** 31,
  2 ** 53,
  -(2 ** 53),
  1e12,
  1e12 + 1,
  1e308,
  -1e308,
];

/** Anything at all: the value a confused or malicious client sends instead of the right one. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...EDGE_STRINGS, ...EDGE_NUMBERS, null, true, false, [], {}, [[]], {
    a: { b: {} },
  }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/**
 * A value for `schema`: shaped like it most of the time, hostile some of the time. `known` offers
 * real ids for fields whose name says they hold one.
 */
export function valueFor(
  schema: JsonSchema,
  name: string,
  known: fc.Arbitrary<string>,
): fc.Arbitrary<unknown> {
  const shaped = shapedValue(schema, name, known);
  return fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 1, arbitrary: hostileValue });
}

function shapedValue(schema: JsonSchema, name: string, known: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const choices = schema.anyOf ?? schema.oneOf;
  let base: fc.Arbitrary<unknown>;
  if (choices) base = fc.oneof(...choices.map((choice) => shapedValue(choice, name, known)));
  else if (schema.enum) base = fc.constantFrom(...schema.enum);
  else if (schema.type === 'object') base = objectFor(schema, known);
  else if (schema.type === 'integer') base = integerFor(schema);
  else if (schema.type === 'number')
    base = fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(...EDGE_NUMBERS));
  else if (schema.type === 'boolean') base = fc.boolean();
  else if (schema.type === 'string') base = stringFor(schema, name, known);
  else base = hostileValue;
  return schema.nullable
    ? fc.oneof({ weight: 5, arbitrary: base }, { weight: 1, arbitrary: fc.constant(null) })
    : base;
}

function integerFor(schema: JsonSchema): fc.Arbitrary<number> {
  const min = schema.minimum ?? -(2 ** 31);
  const max = schema.maximum ?? 2 ** 40;
  return fc.oneof(
    { weight: 4, arbitrary: fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, 2 ** 40) }) },
    { weight: 1, arbitrary: fc.constantFrom(min - 1, min, max, max + 1, ...EDGE_NUMBERS) },
  );
}

const CARD_NUMBERS = [
  '4111 1111 1111 1111',
  '5555-5555-5555-4444',
  '378282246310005',
  '4000000000000002',
  '1234',
];
const VPAS = ['user@paytm', 'failure@test', 'a@b', 'no-at-sign', 'x@y@z'];

function stringFor(schema: JsonSchema, name: string, known: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const maxLength = schema.maxLength ?? 80;
  const plain = fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(maxLength, 80) });
  const options: fc.Arbitrary<string>[] = [
    plain,
    fc.string({ unit: 'binary', maxLength: Math.min(maxLength, 40) }),
    fc.constantFrom(...EDGE_STRINGS),
    fc.constant('x'.repeat(maxLength + 1)),
    // Characters that survive JSON but not every store: NUL, lone surrogates, right-to-left marks.
    fc
      .tuple(plain, fc.constantFrom('\u0000', '\ud800', '\u202e'))
      .map(([text, odd]) => `${text}${odd}${text}`),
  ];
  if (/(^|_)id$/.test(name)) options.push(known, known, known);
  if (name === 'number') options.push(fc.constantFrom(...CARD_NUMBERS));
  if (name === 'vpa') options.push(fc.constantFrom(...VPAS));
  if (name === 'webhook_url') {
    options.push(fc.webUrl(), fc.constantFrom('http://169.254.169.254/', 'ftp://x/', 'http://[::1]/'));
  }
  if (schema.format === 'date-time')
    options.push(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
  if (name.startsWith('expiry_')) options.push(fc.constantFrom('12', '1', '13', '00', '2030', '30', '2001'));
  return fc.oneof(...options);
}

function objectFor(schema: JsonSchema, known: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const fields = Object.fromEntries(
    Object.entries(properties).map(([key, value]) => [key, valueFor(value, key, known)]),
  );
  const required = (schema.required ?? []).filter((key) => key in fields);
  const complete = fc.record(fields, { requiredKeys: required });
  const anyKeys = fc.record(fields, { requiredKeys: [] });
  const extra = fc
    .tuple(complete, fc.string({ maxLength: 12 }), hostileValue)
    .map(([object, key, value]) => ({
      ...(object as object),
      [key]: value,
    }));
  const free =
    typeof schema.additionalProperties === 'object'
      ? fc.dictionary(fc.string({ maxLength: 12 }), valueFor(schema.additionalProperties, '', known), {
          maxKeys: (schema.maxProperties ?? 10) + 2,
        })
      : fc.constant({});
  return fc.oneof(
    { weight: 6, arbitrary: complete },
    { weight: 1, arbitrary: anyKeys },
    { weight: 1, arbitrary: extra },
    { weight: 1, arbitrary: free },
  );
}

/** A path segment: a real id, an id of the right shape, or something no router expects. */
export function pathSegment(known: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: known.map(encodeURIComponent) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('order_', 'pay_', 'rfnd_', ''), fc.stringMatching(/^[A-Za-z0-9]{16}$/))
        .map(([prefix, rest]) => prefix + rest),
    },
    {
      weight: 2,
      arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }).map(encodeURIComponent),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '%',
        '%zz',
        '%00',
        '%2e%2e%2f%2e%2e%2f',
        '..',
        '%2F',
        'a'.repeat(300),
        '00000000-0000-0000-0000-000000000000',
        '%F0%9F%99%82',
        '%C0%AF',
        '%ED%A0%80',
      ),
    },
  );
}

/** A query string from the operation's parameters, with unknown, repeated and broken ones mixed in. */
export function queryString(op: Operation, known: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const named = fc.array(
    fc.oneof(
      ...op.query.map((param) =>
        valueFor(param.schema, param.name, known).map((value) => [param.name, queryText(value)] as const),
      ),
      fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 })).map(([k, v]) => [k, v] as const),
    ),
    { maxLength: 4 },
  );
  return fc.oneof(
    {
      weight: 5,
      arbitrary: named.map((pairs) =>
        pairs.length ? `?${new URLSearchParams(pairs.map(([k, v]) => [k, v])).toString()}` : '',
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '?%zz=1',
        '?limit[]=1',
        '?limit=1&limit=2',
        '?&&=&',
        '?offset=1e3',
        '?status',
      ),
    },
  );
}

const queryText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

/** Bodies that are not what the Content-Type says, or not JSON at all. */
export const rawBodies: fc.Arbitrary<{ body: string; contentType: string | undefined }> = fc.record({
  body: fc.oneof(
    fc.constantFrom(
      '',
      '{',
      '{"amount":',
      'null',
      '[]',
      '"string"',
      '{"amount": 1e999}',
      '{"amount": NaN}',
      '{"__proto__": {"admin": true}, "amount": 500}',
      '{"constructor": {"prototype": {"admin": true}}}',
      '{"amount": 500, "amount": 600}',
      '\ufeff{"amount": 500}',
      '['.repeat(20_000) + ']'.repeat(20_000),
      `{"receipt": "${'x'.repeat(70 * 1024)}"}`,
    ),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.jsonValue().map((value) => JSON.stringify(value) ?? ''),
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    undefined,
  ),
});
