import type { Static } from 'typebox';
import { recoverFailed } from '../db/deliveries.js';
import { recordEventsOf } from '../db/events.js';
import { withTransaction } from '../db/pool.js';
import {
  deleteEndpoint as deleteRow,
  disableFailingEndpoints as disableRows,
  type EndpointRecord,
  findEndpoint,
  insertEndpoint,
  listEndpoints as listRows,
  MAX_ENDPOINTS_PER_MERCHANT,
  rotateSecret,
  updateEndpoint as updateRow,
} from '../db/webhook-endpoints.js';
import { badRequest, notFound } from '../domain/errors.js';
import { eventPayload, isEventFilter } from '../domain/events.js';
import { isId, newId } from '../domain/ids.js';
import { newWebhookSecret } from '../domain/signing.js';
import type { Runtime } from '../runtime.js';
import type { WebhookEndpoint } from '../shapes/index.js';
import { assertWebhookUrl } from '../webhooks/ssrf.js';
import { newEvent } from './events.js';
import { type Answer, createOnce, type IdempotencyRequest } from './idempotency.js';

export type EndpointView = Static<typeof WebhookEndpoint>;

export function endpointView(endpoint: EndpointRecord): EndpointView {
  return {
    id: endpoint.id,
    url: endpoint.url,
    enabled_events: endpoint.enabled_events,
    description: endpoint.description,
    status: endpoint.status,
    secret: endpoint.secret,
    created_at: endpoint.created_at.toISOString(),
  };
}

const MAX_PAGE = 100;
const DEFAULT_OVERLAP_S = 86_400;

function validUrl(runtime: Runtime, url: string): string {
  const trimmed = url.trim();
  assertWebhookUrl(trimmed, runtime.config.WEBHOOK_ALLOW_PRIVATE_URLS);
  return trimmed;
}

function validFilter(events: string[] | undefined): string[] | undefined {
  if (events === undefined) return undefined;
  const bad = events.find((entry) => !isEventFilter(entry));
  if (bad !== undefined) {
    throw badRequest(
      `enabled_events: ${JSON.stringify(bad)} is not an event type, a resource.* or *`,
      'enabled_events',
    );
  }
  return [...new Set(events)];
}

async function ownEndpoint(runtime: Runtime, merchantId: string, id: string): Promise<EndpointRecord> {
  const endpoint = isId('endpoint', id) ? await findEndpoint(runtime.db, id, merchantId) : null;
  if (!endpoint) throw notFound('Webhook endpoint');
  return endpoint;
}

export async function createEndpoint(
  runtime: Runtime,
  merchantId: string,
  input: { url: string; enabled_events?: string[]; description?: string | null },
  idempotency: Omit<IdempotencyRequest, 'merchantId'>,
): Promise<Answer> {
  const url = validUrl(runtime, input.url);
  const enabledEvents = validFilter(input.enabled_events) ?? ['*'];
  return createOnce(runtime, { ...idempotency, merchantId }, async (claimOf) => {
    const id = newId('endpoint');
    const secret = newWebhookSecret();
    const at = runtime.clock.now();
    const draft = {
      id,
      merchant_id: merchantId,
      url,
      description: input.description ?? null,
      enabled_events: enabledEvents,
      status: 'enabled' as const,
      is_default: false,
      secret,
      created_at: at,
      updated_at: at,
    };
    const body = JSON.stringify(endpointView(draft));
    const created = await insertEndpoint(runtime.db, {
      id,
      merchantId,
      url,
      description: draft.description,
      enabledEvents,
      secret,
      at,
      claim: claimOf?.(201, body),
    });
    if (!created)
      throw badRequest(`A merchant may have at most ${MAX_ENDPOINTS_PER_MERCHANT} webhook endpoints`);
    return { status: 201, body };
  });
}

export async function listEndpoints(
  runtime: Runtime,
  merchantId: string,
  query: { limit?: number; starting_after?: string },
) {
  const limit = Math.min(query.limit ?? 10, MAX_PAGE);
  if (query.starting_after !== undefined && !isId('endpoint', query.starting_after)) {
    throw badRequest('starting_after must be a webhook endpoint id', 'starting_after');
  }
  const rows = await listRows(runtime.db, merchantId, { limit, startingAfter: query.starting_after });
  return { data: rows.slice(0, limit).map(endpointView), has_more: rows.length > limit };
}

export async function getEndpoint(runtime: Runtime, merchantId: string, id: string) {
  return endpointView(await ownEndpoint(runtime, merchantId, id));
}

export async function updateEndpoint(
  runtime: Runtime,
  merchantId: string,
  id: string,
  changes: {
    url?: string;
    enabled_events?: string[];
    description?: string | null;
    status?: 'enabled' | 'disabled';
  },
) {
  await ownEndpoint(runtime, merchantId, id);
  const updated = await updateRow(
    runtime.db,
    id,
    merchantId,
    {
      url: changes.url === undefined ? undefined : validUrl(runtime, changes.url),
      enabledEvents: validFilter(changes.enabled_events),
      status: changes.status,
      ...('description' in changes ? { description: changes.description ?? null } : {}),
    },
    runtime.clock.now(),
  );
  if (!updated) throw notFound('Webhook endpoint');
  return endpointView(updated);
}

export async function deleteEndpoint(runtime: Runtime, merchantId: string, id: string) {
  const deleted = isId('endpoint', id) && (await deleteRow(runtime.db, id, merchantId, runtime.clock.now()));
  if (!deleted) throw notFound('Webhook endpoint');
  return { id, deleted: true as const };
}

/**
 * A new secret; the previous ones keep signing deliveries (beside the new one) for the overlap, so
 * receivers can switch without missing a delivery.
 */
export async function rotateEndpointSecret(
  runtime: Runtime,
  merchantId: string,
  id: string,
  overlapSeconds = DEFAULT_OVERLAP_S,
) {
  if (!isId('endpoint', id)) throw notFound('Webhook endpoint');
  const at = runtime.clock.now();
  const rotated = await rotateSecret(
    runtime.db,
    id,
    merchantId,
    newWebhookSecret(),
    new Date(at.getTime() + overlapSeconds * 1000),
    at,
  );
  if (!rotated) throw notFound('Webhook endpoint');
  return rotated;
}

/** Every failed delivery of the endpoint created in [since, until) gets a new round. */
export async function recoverEndpoint(
  runtime: Runtime,
  merchantId: string,
  id: string,
  window: { since: string; until?: string },
) {
  await ownEndpoint(runtime, merchantId, id);
  const now = runtime.clock.now();
  const since = new Date(window.since);
  const until = window.until === undefined ? now : new Date(window.until);
  if (Number.isNaN(since.getTime()) || Number.isNaN(until.getTime())) {
    throw badRequest('since and until must be ISO-8601 timestamps');
  }
  if (until <= since) throw badRequest('until must be later than since', 'until');
  return { queued: await recoverFailed(runtime.db, id, merchantId, { since, until }, now) };
}

/**
 * Disables endpoints whose attempts have all failed for ENDPOINT_DISABLE_AFTER_S, and tells the
 * merchant's other enabled endpoints with a webhook_endpoint.disabled event (in the same
 * transaction, so neither happens without the other).
 */
export async function disableFailingEndpoints(runtime: Runtime): Promise<number> {
  const now = runtime.clock.now();
  const before = new Date(now.getTime() - runtime.config.ENDPOINT_DISABLE_AFTER_S * 1000);
  return withTransaction(runtime.db, async (client) => {
    const disabled = await disableRows(client, before, now, 100);
    if (disabled.length === 0) return 0;
    await recordEventsOf(
      client,
      disabled.map((endpoint) => {
        const { secret: _secret, ...endpointData } = endpointView(endpoint);
        const payload = eventPayload('webhook_endpoint.disabled', now, { webhook_endpoint: endpointData });
        return {
          event: newEvent('webhook_endpoint.disabled', endpoint.id, payload),
          merchantId: endpoint.merchant_id,
          at: now,
        };
      }),
    );
    runtime.log.warn(
      { endpoints: disabled.map((e) => e.id) },
      'webhook endpoints disabled after failing too long',
    );
    return disabled.length;
  });
}
