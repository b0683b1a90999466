import type { Static } from 'typebox';
import { EVENT_TYPES } from '../../domain/events.js';
import type { EventView } from '../../services/events.js';
import type { EventDetail as EventDetailShape } from '../../shapes/index.js';
import { type Html, html } from '../html.js';
import { selectFilter } from './filter-fields.js';
import { none, query, statusBadge, timestamp } from './format.js';

/** The type filters the Events page offers (the API takes any of them as `type`). */
type EventDetail = Static<typeof EventDetailShape>;

export const EVENT_TYPE_FILTERS: readonly string[] = ['payment.*', 'refund.*', ...EVENT_TYPES];

export interface EventsData {
  type: string | null;
  cursor: { starting_after?: string; ending_before?: string };
  list: { data: EventView[]; has_more: boolean };
  /** The cursor in the address is not (or no longer) one of the merchant's events. */
  badCursor: boolean;
  detail: EventDetail | { missing: string } | null;
  /** Endpoint id → URL, to name each delivery's endpoint. */
  endpointUrls: Map<string, string>;
}

const eventsHref = (params: Record<string, string | null | undefined>) => `/dashboard/events${query(params)}`;

/** What an event is about: the id of the payment, refund or endpoint its data carries. */
function subjectOf(event: EventView): string | null {
  for (const value of Object.values(event.data)) {
    if (value && typeof value === 'object' && 'id' in value && typeof value.id === 'string') return value.id;
  }
  return null;
}

function filters(type: string | null): Html {
  return html`<form class="filters" method="get" action="/dashboard/events" data-test-id="event-filters">
  ${selectFilter({ id: 'event-type-filter', name: 'type', label: 'Type', testId: 'event-type-filter', values: EVENT_TYPE_FILTERS, chosen: type })}
  <button type="submit" class="button" data-test-id="apply-event-filter-button">Filter</button>
</form>`;
}

/**
 * Previous (newer) and next (older) pages by cursor. Arriving through `starting_after` means newer
 * events exist; through `ending_before`, older ones do; `has_more` tells the direction travelled.
 */
function cursorPages(data: EventsData): Html {
  const { data: events, has_more } = data.list;
  const first = events[0];
  const last = events.at(-1);
  const back = data.cursor.ending_before !== undefined;
  const forward = data.cursor.starting_after !== undefined;
  const hasNewer = first !== undefined && (back ? has_more : forward);
  const hasOlder = last !== undefined && (back ? true : has_more);
  if (!hasNewer && !hasOlder) return html``;
  return html`<nav class="pagination" aria-label="Event pages">
  <div class="pagination-links">
    ${hasNewer ? html`<a class="button button-quiet" rel="prev" data-test-id="events-previous" href="${eventsHref({ type: data.type, ending_before: first?.id })}">Newer events</a>` : null}
    ${hasOlder ? html`<a class="button button-quiet" rel="next" data-test-id="events-next" href="${eventsHref({ type: data.type, starting_after: last?.id })}">Older events</a>` : null}
  </div>
</nav>`;
}

function eventsTable(data: EventsData): Html {
  const openId = data.detail && 'id' in data.detail ? data.detail.id : null;
  const empty = data.badCursor
    ? html`This page of events is not available. <a href="${eventsHref({ type: data.type })}">Show the newest events</a>.`
    : data.type !== null
      ? html`No ${data.type} events. <a href="/dashboard/events">Show all events</a>.`
      : data.cursor.starting_after || data.cursor.ending_before
        ? html`No more events this way. <a href="/dashboard/events">Show the newest events</a>.`
        : html`No events yet. Create a payment, or send a test webhook, and its events appear here.`;
  const pageQuery = { type: data.type, ...data.cursor };
  return html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="events-caption">
  <table class="table" data-test-id="events-table">
    <caption id="events-caption">Events, newest first</caption>
    <thead><tr><th scope="col">Type</th><th scope="col">About</th><th scope="col">Event ID</th><th scope="col">Created</th></tr></thead>
    <tbody>
      ${
        data.list.data.length === 0
          ? html`<tr class="empty-row"><td colspan="4"><p class="empty-state" data-test-id="events-empty">${empty}</p></td></tr>`
          : data.list.data.map(
              (
                event,
              ) => html`<tr data-test-id="event-row" data-event-id="${event.id}" data-type="${event.type}"${
                event.id === openId ? html` class="is-open"` : null
              }>
        <th scope="row"><a href="${eventsHref({ ...pageQuery, event: event.id })}#event-detail" data-test-id="event-link" id="open-${event.id}">${event.type}</a></th>
        <td class="mono">${subjectOf(event) ?? none()}</td>
        <td class="mono">${event.id}</td>
        <td>${timestamp(event.created_at)}</td>
      </tr>`,
            )
      }
    </tbody>
  </table>
</div>
${cursorPages(data)}`;
}

/** The endpoint a delivery went to, by URL while it exists. */
function endpointName(endpointId: string | null, endpointUrls: Map<string, string>): string {
  if (endpointId === null) return 'Webhook URL';
  return endpointUrls.get(endpointId) ?? `${endpointId} (deleted)`;
}

function deliveriesTable(detail: EventDetail, endpointUrls: Map<string, string>): Html {
  if (detail.deliveries.length === 0) {
    return html`<p class="empty-state" data-test-id="event-deliveries-empty">Not delivered: no enabled endpoint subscribed to ${detail.type} when it happened. Add or change one on the <a href="/dashboard/endpoints">Endpoints</a> page, then resend.</p>`;
  }
  return html`<div class="table-scroll" tabindex="0" role="region" aria-label="Deliveries of this event">
  <table class="table" data-test-id="event-deliveries-table">
    <thead><tr><th scope="col">Endpoint</th><th scope="col">Status</th><th scope="col" class="num">Attempts</th><th scope="col" class="num">Response</th><th scope="col">Last attempt</th><th scope="col"><span class="visually-hidden">Delivery</span></th></tr></thead>
    <tbody>
      ${detail.deliveries.map(
        (
          delivery,
        ) => html`<tr data-test-id="event-delivery-row" data-webhook-id="${delivery.id}" data-endpoint-id="${delivery.endpoint_id ?? ''}" data-status="${delivery.status}">
        <td class="mono">${endpointName(delivery.endpoint_id, endpointUrls)}</td>
        <td data-test-id="event-delivery-status">${statusBadge(delivery.status)}</td>
        <td class="num" data-test-id="event-delivery-attempts">${delivery.attempts}</td>
        <td class="num" data-test-id="event-delivery-response-code">${delivery.response_code ?? none()}</td>
        <td>${timestamp(delivery.last_attempt_at)}</td>
        <td><a href="/dashboard/webhooks?log=${encodeURIComponent(delivery.id)}#webhook-detail" data-test-id="event-delivery-link">View delivery<span class="visually-hidden"> to ${endpointName(delivery.endpoint_id, endpointUrls)}</span></a></td>
      </tr>`,
      )}
    </tbody>
  </table>
</div>`;
}

function detailSection(data: EventsData): Html {
  const detail = data.detail;
  if (!detail) return html``;
  const close = eventsHref({ type: data.type, ...data.cursor });
  if ('missing' in detail) {
    return html`<section class="card detail" id="event-detail" data-test-id="event-detail" aria-labelledby="event-detail-title">
  <h2 id="event-detail-title" tabindex="-1" data-autofocus>Event not found</h2>
  <p class="error-state">There is no event <code>${detail.missing}</code> in your account.</p>
  <a class="button button-quiet" href="${close}">Back to events</a>
</section>`;
  }
  return html`<section class="card detail" id="event-detail" data-test-id="event-detail" data-event-id="${detail.id}" aria-labelledby="event-detail-title">
  <div class="detail-head">
    <h2 id="event-detail-title" tabindex="-1" data-autofocus>${detail.type}</h2>
    <a class="button button-quiet" href="${close}">Close</a>
  </div>
  <dl class="facts">
    <div><dt>Event ID</dt><dd class="mono">${detail.id}</dd></div>
    <div><dt>Created</dt><dd>${timestamp(detail.created_at)}</dd></div>
  </dl>
  <div class="actions">
    <button type="button" class="button" data-action="resend-event" data-event-id="${detail.id}" data-test-id="resend-event-button">Resend</button>
  </div>
  <h3>Deliveries</h3>
  ${deliveriesTable(detail, data.endpointUrls)}
  <h3>Data</h3>
  <pre class="code" tabindex="0" aria-label="Event data" data-test-id="event-payload"><code>${JSON.stringify(detail.data, null, 2)}</code></pre>
</section>`;
}

export function eventsView(data: EventsData): Html {
  const pending =
    data.detail !== null && 'deliveries' in data.detail
      ? data.detail.deliveries.some((delivery) => delivery.status === 'pending')
      : false;
  return html`<h1>Events</h1>
<p class="lead">Every event is recorded, whether or not an endpoint receives it. Open one to see its data and each endpoint's delivery, or send it again.</p>
${filters(data.type)}
<div data-refresh-region="event-detail" data-pending="${pending}">${detailSection(data)}</div>
${eventsTable(data)}`;
}
