import type { Static } from 'typebox';
import { deliveriesOfEvent, resendEvent as resendRows } from '../db/deliveries.js';
import {
  type EventRecord,
  eventsOfPayment,
  findEvent,
  listEvents as listRows,
  type NewEvent,
} from '../db/events.js';
import { findEndpoint } from '../db/webhook-endpoints.js';
import { badRequest, notFound } from '../domain/errors.js';
import { isEventFilter } from '../domain/events.js';
import { isId, newId } from '../domain/ids.js';
import type { Runtime } from '../runtime.js';
import type { Event, EventDetail } from '../shapes/index.js';
import { cursorBounds, cursorPage, refuseBothCursors } from './cursor-page.js';

/** An event to record with the state change it describes. */
export function newEvent(type: string, resourceId: string, payload: string): NewEvent {
  return { id: newId('event'), resourceId, type, payload };
}

export type EventView = Static<typeof Event>;

export function eventView(event: EventRecord): EventView {
  return {
    id: event.id,
    type: event.type,
    created_at: event.created_at.toISOString(),
    data: JSON.parse(event.data) as Record<string, unknown>,
  };
}

const MAX_PAGE = 100;

/** `payment.success,refund.*` → its parts, each an event type or `resource.*` (a lone `*` means all). */
export function parseTypeFilter(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  const types = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const bad = types.find((type) => !isEventFilter(type));
  if (bad !== undefined)
    throw badRequest(`type: ${JSON.stringify(bad)} is not an event type or resource.*`, 'type');
  return types.includes('*') ? [] : types;
}

async function seqOf(runtime: Runtime, merchantId: string, id: string, field: string): Promise<number> {
  const event = isId('event', id) ? await findEvent(runtime.db, id, merchantId) : null;
  if (!event) throw badRequest(`${field} must be the id of one of your events`, field);
  return event.seq;
}

/**
 * Events newest first, cursor-paginated: `starting_after` pages to older events, `ending_before` to
 * newer ones. The cursor is a position in the order events were recorded in, so pages stay stable
 * while new events arrive.
 */
export async function listEvents(
  runtime: Runtime,
  merchantId: string,
  query: {
    type?: string;
    resource_id?: string;
    limit?: number;
    starting_after?: string;
    ending_before?: string;
  },
) {
  refuseBothCursors(query);
  const types = parseTypeFilter(query.type);
  const bounds = await cursorBounds(query, MAX_PAGE, (id, field) => seqOf(runtime, merchantId, id, field));
  const rows = await listRows(runtime.db, merchantId, { types, resourceId: query.resource_id, ...bounds });
  return cursorPage(rows, bounds, eventView);
}

/** A payment's events and its refunds' events, oldest first: what happened to it, in order. */
export async function paymentEvents(runtime: Runtime, merchantId: string, paymentId: string, limit: number) {
  if (!isId('payment', paymentId)) return [];
  return (await eventsOfPayment(runtime.db, paymentId, merchantId, limit)).map(eventView);
}

export async function getEvent(
  runtime: Runtime,
  merchantId: string,
  id: string,
): Promise<Static<typeof EventDetail>> {
  const event = isId('event', id) ? await findEvent(runtime.db, id, merchantId) : null;
  if (!event) throw notFound('Event');
  const deliveries = await deliveriesOfEvent(runtime.db, id, merchantId);
  return {
    ...eventView(event),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      endpoint_id: d.endpoint_id,
      status: d.status,
      attempts: d.attempts,
      last_attempt_at: d.last_attempt_at?.toISOString() ?? null,
      response_code: d.response_code,
    })),
  };
}

/** Sends an event again, to one endpoint or to every enabled endpoint whose filter selects it. */
export async function resendEvent(
  runtime: Runtime,
  merchantId: string,
  id: string,
  endpointId: string | undefined,
) {
  if (!isId('event', id)) throw notFound('Event');
  if (
    endpointId !== undefined &&
    !(isId('endpoint', endpointId) && (await findEndpoint(runtime.db, endpointId, merchantId)))
  ) {
    throw notFound('Webhook endpoint');
  }
  const deliveries = await resendRows(runtime.db, id, merchantId, endpointId ?? null, runtime.clock.now());
  if (!deliveries) throw notFound('Event');
  return { deliveries };
}
