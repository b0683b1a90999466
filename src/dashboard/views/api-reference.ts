import { type Html, html } from '../html.js';

/**
 * The API reference, rendered on the server from the OpenAPI document the API serves at
 * /api/v1/openapi.json (itself generated from the route schemas): every operation with its
 * authentication, parameters, request body and responses, as plain HTML.
 */
export interface JsonSchema {
  type?: string;
  format?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  example?: unknown;
  examples?: unknown[];
}

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: JsonSchema;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDocument {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
}

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
  required: boolean;
  rules: string[];
}

/** Flattens an object schema into one row per field, nested fields as `card.number`, `data[].id`. */
export function fieldRows(schema: JsonSchema, prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const path = prefix + name;
    rows.push({
      name: path,
      type: describeType(field),
      required: required.has(name),
      rules: describeRules(field),
    });
    if (field.properties) rows.push(...fieldRows(field, `${path}.`));
    if (field.type === 'array' && field.items?.properties) rows.push(...fieldRows(field.items, `${path}[].`));
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
          html`<tr><td><code>${row.name}</code></td><td><code>${row.type}</code></td><td>${row.required ? 'yes' : 'no'}</td><td>${row.rules.join('; ')}</td></tr>`,
      )}
    </tbody>
  </table>
</div>`;
}

const jsonSchemaOf = (entry?: { content?: Record<string, { schema?: JsonSchema }> }) =>
  entry?.content?.['application/json']?.schema;

/** The error format: one object named `error`, however each route words it. */
const isErrorSchema = (schema: JsonSchema | undefined) =>
  schema?.properties !== undefined && Object.keys(schema.properties).join() === 'error';

export const operationId = (method: string, path: string) =>
  `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;

function operation(path: string, method: string, op: Operation): Html {
  const label = `${method.toUpperCase()} ${path}`;
  const parameters = op.parameters ?? [];
  const body = jsonSchemaOf(op.requestBody);
  const responses = Object.entries(op.responses ?? {});
  const successes = responses.filter(([, response]) => !isErrorSchema(jsonSchemaOf(response)));
  const failures = responses.filter(([, response]) => isErrorSchema(jsonSchemaOf(response)));
  const authenticated = (op.security ?? []).length > 0;
  return html`<article class="endpoint" id="${operationId(method, path)}" data-test-id="api-endpoint" data-method="${method.toUpperCase()}" data-path="${path}">
  <h4><span class="http-method http-${method}">${method.toUpperCase()}</span> <code>${path}</code></h4>
  ${op.summary ? html`<p>${op.summary}</p>` : null}
  <p class="muted">${authenticated ? html`Authentication: <code>X-Api-Key</code> and <code>X-Api-Secret</code> headers.` : 'No authentication.'}</p>
  ${
    parameters.length > 0
      ? html`<h5>Parameters</h5>${fieldsTable(
          parameters.map((parameter) => ({
            name: `${parameter.name} (${parameter.in})`,
            type: parameter.schema ? describeType(parameter.schema) : 'string',
            required: parameter.required === true,
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

export function apiReference(doc: OpenApiDocument): Html {
  const groups = new Map<string, Array<{ path: string; method: string; op: Operation }>>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      const group = groups.get(tag) ?? [];
      group.push({ path, method, op });
      groups.set(tag, group);
    }
  }
  const title = (tag: string) => tag[0]?.toUpperCase() + tag.slice(1);
  return html`<section class="card" data-test-id="api-reference" aria-labelledby="reference-title">
  <h2 id="reference-title">API reference</h2>
  <p class="muted">${doc.info?.title ?? 'API'} ${doc.info?.version ?? ''}: generated from the API's own route schemas. The same document, machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
  <nav class="toc" aria-label="API reference contents">
    <ul>
      ${[...groups].map(
        ([tag, ops]) =>
          html`<li>${title(tag)}<ul>${ops.map(
            ({ path, method }) =>
              html`<li><a href="#${operationId(method, path)}"><span class="http-method http-${method}">${method.toUpperCase()}</span> ${path}</a></li>`,
          )}</ul></li>`,
      )}
    </ul>
  </nav>
  ${[...groups].map(
    ([tag, ops]) => html`<section class="reference-group" aria-labelledby="tag-${tag}">
    <h3 id="tag-${tag}">${title(tag)}</h3>
    ${ops.map(({ path, method, op }) => operation(path, method, op))}
  </section>`,
  )}
</section>`;
}
