import { DomainError } from '../domain/errors.js';
import type { Runtime } from '../runtime.js';
import { endpointsFailingSince } from '../services/endpoint-health.js';
import { getEvent, listEvents } from '../services/events.js';
import { listEndpoints } from '../services/webhook-endpoints.js';
import type { EndpointSummary, EndpointsData } from './views/endpoints.js';
import { EVENT_TYPE_FILTERS, type EventsData } from './views/events.js';

/** What the Endpoints and Events pages show, read through the same services as the public API. */
type Query = Record<string, string | undefined>;

export const EVENTS_PAGE_SIZE = 20;
/** More than a merchant may have, so the page lists every endpoint. */
const ALL_ENDPOINTS = 100;

async function orNull<T>(load: () => Promise<T>, codes: string[]): Promise<T | null> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof DomainError && codes.includes(err.code)) return null;
    throw err;
  }
}

async function endpointSummaries(runtime: Runtime, merchantId: string): Promise<EndpointSummary[]> {
  const [list, failing] = await Promise.all([
    listEndpoints(runtime, merchantId, { limit: ALL_ENDPOINTS }),
    endpointsFailingSince(runtime, merchantId),
  ]);
  // The secret is shown once (at creation and rotation), never on the page as rendered.
  return list.data.map(({ secret: _secret, ...endpoint }) => ({
    ...endpoint,
    failing_since: failing.get(endpoint.id) ?? null,
  }));
}

export async function endpointsData(
  runtime: Runtime,
  merchantId: string,
  query: Query,
): Promise<EndpointsData> {
  const openId = query.endpoint?.slice(0, 64);
  const endpoints = await endpointSummaries(runtime, merchantId);
  const detail = openId
    ? (endpoints.find((endpoint) => endpoint.id === openId) ?? { missing: openId })
    : null;
  return { endpoints, detail };
}

export async function eventsData(runtime: Runtime, merchantId: string, query: Query): Promise<EventsData> {
  const type = EVENT_TYPE_FILTERS.includes(query.type ?? '') ? (query.type as string) : null;
  const cursor =
    query.ending_before !== undefined
      ? { ending_before: query.ending_before.slice(0, 64) }
      : query.starting_after !== undefined
        ? { starting_after: query.starting_after.slice(0, 64) }
        : {};
  const eventId = query.event?.slice(0, 64);
  const [list, detail, endpoints] = await Promise.all([
    // A cursor that is no longer one of the merchant's events shows as an empty page with a way back.
    orNull(
      () => listEvents(runtime, merchantId, { type: type ?? undefined, limit: EVENTS_PAGE_SIZE, ...cursor }),
      ['BAD_REQUEST_ERROR'],
    ),
    eventId
      ? orNull(() => getEvent(runtime, merchantId, eventId), ['NOT_FOUND_ERROR']).then(
          (found) => found ?? { missing: eventId },
        )
      : null,
    eventId ? listEndpoints(runtime, merchantId, { limit: ALL_ENDPOINTS }) : null,
  ]);
  const endpointUrls = new Map((endpoints?.data ?? []).map((endpoint) => [endpoint.id, endpoint.url]));
  return {
    type,
    cursor,
    list: list ?? { data: [], has_more: false },
    badCursor: list === null,
    detail,
    endpointUrls,
  };
}
