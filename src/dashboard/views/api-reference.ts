/**
 * The API reference, rendered on the server from the OpenAPI document the API serves at
 * /api/v1/openapi.json (itself generated from the route schemas): every operation with its
 * authentication, parameters, request body, responses and an example of each, as plain HTML.
 */
import { type Html, html } from '../html.js';
import {
  curlExample,
  requiredWhen,
  responseExample,
  type SampleCredentials,
  takesIdempotencyKey,
} from '../openapi-examples.js';
import { type JsonSchema, jsonSchemaOf, type OpenApiDocument, type Operation } from '../openapi-types.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** A schema's type in a few words: `string (date-time)`, `"upi" | "card"`, `array of object`. */
export function describeType(schema: JsonSchema): string {
  const variants = schema.anyOf ?? schema.oneOf;
  let text: string;
  if (variants) {
    text = variants.map(describeType).join(' | ');
  } else if (schema.enum) {
    text = schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  } else if (schema.const !== undefined) {
    text = JSON.stringify(schema.const);
  } else if (schema.type === 'array') {
    text = `array of ${schema.items ? describeType(schema.items) : 'any'}`;
  } else {
    text = schema.type ?? 'any';
    if (schema.format) text += ` (${schema.format})`;
  }
  return schema.nullable ? `${text} | null` : text;
}

/** Constraints and hints worth a reader's attention, in words. */
export function describeRules(schema: JsonSchema): string[] {
  const rules: string[] = [];
  if (schema.description) rules.push(schema.description);
  if (schema.minimum !== undefined) rules.push(`min ${schema.minimum}`);
  if (schema.maximum !== undefined) rules.push(`max ${schema.maximum}`);
  if (schema.minLength !== undefined) rules.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) rules.push(`max length ${schema.maxLength}`);
  if (schema.pattern) rules.push(`pattern ${schema.pattern}`);
  if (schema.default !== undefined) rules.push(`default ${JSON.stringify(schema.default)}`);
  const example = schema.example ?? schema.examples?.[0];
  if (example !== undefined) rules.push(`e.g. ${JSON.stringify(example)}`);
  return rules;
}

export interface FieldRow {
  name: string;
  type: string;
  /** `yes`, `no`, or the condition under which it is needed: `if method is "card"`, `yes, in card`. */
  required: string;
  rules: string[];
}

/** Flattens an object schema into one row per field, nested fields as `card.number`, `data[].id`. */
export function fieldRows(schema: JsonSchema, prefix = '', parentOptional = false): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const path = prefix + name;
    const condition = requiredWhen(field);
    const isRequired = required.has(name);
    const parent = prefix.replace(/(\[\])?\.$/, '');
    const requirement = condition
      ? `if ${condition.field} is "${condition.value}"`
      : isRequired
        ? parentOptional
          ? `yes, in ${parent}`
          : 'yes'
        : 'no';
    rows.push({
      name: path,
      type: describeType(field),
      required: requirement,
      rules: describeRules(field).filter((rule) => !condition || rule !== field.description),
    });
    const childrenOptional = parentOptional || !isRequired;
    if (field.properties) rows.push(...fieldRows(field, `${path}.`, childrenOptional));
    if (field.type === 'array' && field.items?.properties) {
      rows.push(...fieldRows(field.items, `${path}[].`, childrenOptional));
    }
  }
  return rows;
}

function fieldsTable(rows: FieldRow[], caption: string): Html {
  if (rows.length === 0) return html`<p class="muted">No fields.</p>`;
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="${caption}">
  <table class="table table-compact">
    <caption class="visually-hidden">${caption}</caption>
    <thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">Required</th><th scope="col">Notes</th></tr></thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr><td><code>${row.name}</code></td><td><code>${row.type}</code></td><td>${row.required}</td><td>${row.rules.join('; ')}</td></tr>`,
      )}
    </tbody>
  </table>
</div>`;
}

/** The error format: one object named `error`, however each route words it. */
const isErrorSchema = (schema: JsonSchema | undefined) =>
  schema?.properties !== undefined && Object.keys(schema.properties).join() === 'error';

export const operationId = (method: string, path: string) =>
  `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

function example(id: string, language: string, code: string, label: string, secret: boolean): Html {
  return html`<div class="snippet">
  <div class="snippet-bar">
    <span class="snippet-language">${language}</span>
    <button type="button" class="button button-quiet button-small" data-copy="#${id}" aria-label="Copy ${label}">Copy</button>
  </div>
  <pre class="code" tabindex="0" aria-label="${label}"><code id="${id}"${secret ? html` data-sample-secret` : null}>${code}</code></pre>
</div>`;
}

function operation(path: string, method: string, op: Operation, credentials: SampleCredentials): Html {
  const label = `${method.toUpperCase()} ${path}`;
  const id = operationId(method, path);
  const parameters = (op.parameters ?? []).filter((parameter) => parameter.in !== 'header');
  const body = jsonSchemaOf(op.requestBody);
  const responses = Object.entries(op.responses ?? {});
  const successes = responses.filter(([, response]) => !isErrorSchema(jsonSchemaOf(response)));
  const failures = responses.filter(([, response]) => isErrorSchema(jsonSchemaOf(response)));
  const authenticated = (op.security ?? []).length > 0;
  const answer = responseExample(path, op);
  return html`<article class="endpoint" id="${id}" data-test-id="api-endpoint" data-method="${method.toUpperCase()}" data-path="${path}">
  <h4><span class="http-method http-${method}">${method.toUpperCase()}</span> <code>${path}</code></h4>
  ${op.summary ? html`<p>${op.summary}</p>` : null}
  <p class="muted">${authenticated ? html`Authentication: <code>X-Api-Key</code> and <code>X-Api-Secret</code> headers.` : 'No authentication.'}</p>
  ${
    takesIdempotencyKey(op)
      ? html`<p class="idempotency-line" data-test-id="idempotency-note">Idempotent: send an <code>Idempotency-Key</code> header (1 to 255 printable characters, kept 24 hours) and a retry with the same key and body gets the first answer again, with <code>Idempotent-Replayed: true</code>; the same key with another body is refused (422 <code>IDEMPOTENCY_KEY_REUSED</code>).</p>`
      : null
  }
  <div class="endpoint-examples">
    ${example(`${id}-request`, 'Request', curlExample(method, path, op, credentials), `${label} example request`, authenticated && credentials.apiSecret === null)}
    ${answer ? example(`${id}-response`, `Response ${answer.status}`, answer.body, `${label} example response`, false) : null}
  </div>
  ${
    parameters.length > 0
      ? html`<h5>Parameters</h5>${fieldsTable(
          parameters.map((parameter) => ({
            name: `${parameter.name} (${parameter.in})`,
            type: parameter.schema ? describeType(parameter.schema) : 'string',
            required: parameter.required === true ? 'yes' : 'no',
            rules: [
              ...(parameter.description ? [parameter.description] : []),
              ...(parameter.schema ? describeRules(parameter.schema) : []),
            ],
          })),
          `${label} parameters`,
        )}`
      : null
  }
  ${body ? html`<h5>Request body (JSON)</h5>${fieldsTable(fieldRows(body), `${label} request body`)}` : null}
  ${successes.map(([status, response]) => {
    const schema = jsonSchemaOf(response);
    return html`<h5>Response ${status}</h5>${schema ? fieldsTable(fieldRows(schema), `${label} response ${status}`) : html`<p class="muted">${response.description ?? 'No body.'}</p>`}`;
  })}
  ${
    failures.length > 0
      ? html`<p class="errors-line">Errors: ${failures.map(([status]) => status).join(', ')}, as <code>{"error":{"code","description"}}</code>.</p>`
      : null
  }
</article>`;
}

/**
 * The order a merchant reads in: the objects of a payment's life first, then what tells a merchant
 * about them, then the checkout page's public calls; the operator's probes last.
 */
const GROUPS: ReadonlyArray<{ tag: string; title: string }> = [
  { tag: 'orders', title: 'Orders' },
  { tag: 'payments', title: 'Payments' },
  { tag: 'refunds', title: 'Refunds' },
  { tag: 'events', title: 'Events' },
  { tag: 'webhook endpoints', title: 'Webhook endpoints' },
  { tag: 'webhooks', title: 'Webhook deliveries' },
  { tag: 'merchant', title: 'Default webhook URL' },
  { tag: 'request logs', title: 'Request logs' },
  { tag: 'checkout', title: 'Checkout page (public)' },
  { tag: 'other', title: 'Other' },
  { tag: 'health', title: 'Operations: health' },
  { tag: 'test', title: 'Operations: test mode' },
];

export interface ReferenceOperation {
  path: string;
  method: string;
  op: Operation;
}

export interface ReferenceGroup {
  tag: string;
  title: string;
  operations: ReferenceOperation[];
}

/** The document's operations in reading order; unauthenticated merchant calls form the checkout group. */
export function referenceGroups(doc: OpenApiDocument): ReferenceGroup[] {
  const byTag = new Map<string, ReferenceOperation[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      let tag = op.tags?.[0] ?? 'other';
      if (path.endsWith('/public')) tag = 'checkout';
      if (!GROUPS.some((group) => group.tag === tag)) tag = 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { path, method, op }]);
    }
  }
  return GROUPS.filter(({ tag }) => byTag.has(tag)).map(({ tag, title }) => ({
    tag,
    title,
    operations: byTag.get(tag) ?? [],
  }));
}

export const groupId = (tag: string) => `tag-${tag.replace(/\W+/g, '-')}`;

export function apiReference(doc: OpenApiDocument, credentials: SampleCredentials): Html {
  return html`<section class="card" data-test-id="api-reference" aria-labelledby="reference-title">
  <h2 id="reference-title">API reference</h2>
  <p class="muted">${doc.info?.title ?? 'API'} ${doc.info?.version ?? ''}: generated from the API's own route schemas, examples included. The same document, machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
  ${referenceGroups(doc).map(
    ({ tag, title, operations }) => html`<section class="reference-group" aria-labelledby="${groupId(tag)}">
    <h3 id="${groupId(tag)}">${title}</h3>
    ${operations.map(({ path, method, op }) => operation(path, method, op, credentials))}
  </section>`,
  )}
</section>`;
}
