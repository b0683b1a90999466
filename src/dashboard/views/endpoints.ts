import { EVENT_TYPES } from '../../domain/events.js';
import { type Html, html } from '../html.js';
import { none, timestamp } from './format.js';

/** An endpoint as the page shows it: the API's view without its secret, with its failing state. */
export interface EndpointSummary {
  id: string;
  url: string;
  enabled_events: string[];
  description: string | null;
  status: 'enabled' | 'disabled';
  created_at: string;
  /** Since when every delivery to it has failed; null while it is healthy. */
  failing_since: string | null;
}

export interface EndpointsData {
  endpoints: EndpointSummary[];
  detail: EndpointSummary | { missing: string } | null;
}

/** What an endpoint can subscribe to: everything, every event of a resource, or single types. */
export const ENDPOINT_EVENT_CHOICES: readonly string[] = ['*', 'payment.*', 'refund.*', ...EVENT_TYPES];

const CHOICE_LABELS: Record<string, string> = {
  '*': 'All events',
  'payment.*': 'Every payment event',
  'refund.*': 'Every refund event',
};

/** Rotation overlaps offered: how long the previous secret keeps signing beside the new one. */
const OVERLAPS: ReadonlyArray<{ seconds: number; label: string }> = [
  { seconds: 0, label: 'None: the old secret stops at once' },
  { seconds: 3_600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 604_800, label: '7 days' },
];

const manageHref = (id: string) => `/dashboard/endpoints?endpoint=${encodeURIComponent(id)}#endpoint-detail`;
const slug = (choice: string) => choice.replace('*', 'all').replace(/[^a-z0-9]+/gi, '-');

function endpointStatus(status: EndpointSummary['status']): Html {
  return html`<span class="status status-${status === 'enabled' ? 'good' : 'neutral'}">${status}</span>`;
}

function eventList(events: string[]): Html {
  return html`<ul class="tag-list">${events.map((event) => html`<li><code>${event}</code></li>`)}</ul>`;
}

/** The event checkboxes of a form; ids carry the form's prefix so two forms never clash. */
function eventChoices(prefix: string, selected: readonly string[]): Html {
  return html`<fieldset class="event-choices" aria-describedby="${prefix}-events-help">
  <legend>Events to send</legend>
  <p class="help" id="${prefix}-events-help">Choose all events, every event of a kind, or single event types. At least one.</p>
  <ul class="checkbox-list">
    ${ENDPOINT_EVENT_CHOICES.map((choice) => {
      const id = `${prefix}-event-${slug(choice)}`;
      const label = CHOICE_LABELS[choice];
      return html`<li><input type="checkbox" id="${id}" name="enabled_events" value="${choice}" data-test-id="endpoint-event-checkbox"${
        selected.includes(choice) ? html` checked` : null
      }> <label for="${id}">${label ? html`${label} <code>${choice}</code>` : html`<code>${choice}</code>`}</label></li>`;
    })}
  </ul>
</fieldset>`;
}

function urlField(prefix: string, testId: string, value: string): Html {
  return html`<div class="field">
  <label for="${prefix}-url">Endpoint URL</label>
  <input id="${prefix}-url" name="url" type="url" inputmode="url" autocomplete="url" maxlength="4096" required
    placeholder="https://yoursite.com/webhooks" value="${value}" data-test-id="${testId}"
    aria-describedby="${prefix}-url-help ${prefix}-error">
  <p class="help" id="${prefix}-url-help">Each matching event is POSTed here, signed with this endpoint's own secret.</p>
</div>`;
}

function descriptionField(prefix: string, value: string | null): Html {
  return html`<div class="field">
  <label for="${prefix}-description">Description <span class="optional">(optional)</span></label>
  <input id="${prefix}-description" name="description" type="text" maxlength="500" value="${value ?? ''}"
    data-test-id="endpoint-description-input">
</div>`;
}

function addSection(): Html {
  return html`<section class="card" aria-labelledby="add-endpoint-title">
  <h2 id="add-endpoint-title">Add an endpoint</h2>
  <form class="form" data-test-id="add-endpoint-form" data-form="add-endpoint" novalidate>
    ${urlField('add-endpoint', 'endpoint-url-input', '')}
    ${descriptionField('add-endpoint', null)}
    ${eventChoices('add', ['*'])}
    <p class="form-error" id="add-endpoint-error" data-role="form-error" data-test-id="add-endpoint-error" role="alert"></p>
    <div class="actions">
      <button type="submit" class="button button-primary" data-test-id="add-endpoint-button">Add endpoint</button>
    </div>
  </form>
  <div class="secret-box" data-role="created-secret" data-test-id="created-endpoint" hidden>
    <p class="field-label" id="created-secret-label">Signing secret of the new endpoint, shown only now</p>
    <div class="secret-row">
      <code class="credential-value" id="created-endpoint-secret" data-test-id="created-endpoint-secret"></code>
      <button type="button" class="button button-quiet" data-copy="#created-endpoint-secret" aria-describedby="created-secret-label">Copy</button>
    </div>
    <p class="help">Keep it on your server to verify each delivery's <code>webhook-signature</code>. You can rotate it later from the endpoint's settings.</p>
  </div>
</section>`;
}

function endpointRow(endpoint: EndpointSummary, openId: string | null): Html {
  const enabled = endpoint.status === 'enabled';
  return html`<tr data-test-id="endpoint-row" data-endpoint-id="${endpoint.id}" data-status="${endpoint.status}"${
    endpoint.id === openId ? html` class="is-open"` : null
  }>
  <th scope="row" class="endpoint-cell">
    <a href="${manageHref(endpoint.id)}" id="manage-${endpoint.id}" class="endpoint-url" data-test-id="endpoint-url">${endpoint.url}</a>
    ${endpoint.description ? html`<span class="endpoint-description">${endpoint.description}</span>` : null}
  </th>
  <td data-test-id="endpoint-status">${endpointStatus(endpoint.status)}</td>
  <td data-test-id="endpoint-events">${eventList(endpoint.enabled_events)}</td>
  <td data-test-id="endpoint-failing-since">${timestamp(endpoint.failing_since)}</td>
  <td class="row-actions">
    <button type="button" class="button button-small" id="toggle-${endpoint.id}" data-action="toggle-endpoint"
      data-endpoint-id="${endpoint.id}" data-next-status="${enabled ? 'disabled' : 'enabled'}"
      data-test-id="${enabled ? 'disable-endpoint-button' : 'enable-endpoint-button'}">${enabled ? 'Disable' : 'Enable'}<span class="visually-hidden"> ${endpoint.url}</span></button>
    <button type="button" class="button button-small" id="test-${endpoint.id}" data-action="test-endpoint"
      data-endpoint-id="${endpoint.id}" data-test-id="test-endpoint-button">Send test<span class="visually-hidden"> event to ${endpoint.url}</span></button>
  </td>
</tr>`;
}

function endpointsTable(data: EndpointsData): Html {
  const openId = data.detail && 'id' in data.detail ? data.detail.id : null;
  return html`<div data-refresh-region="endpoints">
  ${
    data.endpoints.length === 0
      ? html`<p class="empty-state" data-test-id="endpoints-empty">No endpoints yet. Add one above, or set a webhook URL on the <a href="/dashboard/webhooks">Webhooks</a> page.</p>`
      : html`<div class="table-scroll" tabindex="0" role="region" aria-labelledby="endpoints-caption">
    <table class="table" data-test-id="endpoints-table">
      <caption id="endpoints-caption">Webhook endpoints, newest first</caption>
      <thead>
        <tr><th scope="col">URL</th><th scope="col">Status</th><th scope="col">Events</th><th scope="col">Failing since</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr>
      </thead>
      <tbody>${data.endpoints.map((endpoint) => endpointRow(endpoint, openId))}</tbody>
    </table>
  </div>`
  }
</div>`;
}

function editForm(endpoint: EndpointSummary): Html {
  return html`<form class="form" data-test-id="edit-endpoint-form" data-form="edit-endpoint" data-endpoint-id="${endpoint.id}" novalidate>
  <h3>Settings</h3>
  ${urlField('edit-endpoint', 'edit-endpoint-url-input', endpoint.url)}
  ${descriptionField('edit-endpoint', endpoint.description)}
  ${eventChoices('edit', endpoint.enabled_events)}
  <p class="form-error" id="edit-endpoint-error" data-role="form-error" data-test-id="edit-endpoint-error" role="alert"></p>
  <div class="actions"><button type="submit" class="button button-primary" data-test-id="save-endpoint-button">Save changes</button></div>
</form>`;
}

function rotateForm(endpoint: EndpointSummary): Html {
  return html`<form class="form" data-test-id="rotate-secret-form" data-form="rotate-secret" data-endpoint-id="${endpoint.id}" novalidate>
  <h3>Signing secret</h3>
  <div class="field">
    <label for="rotate-overlap">Keep the current secret valid for</label>
    <select id="rotate-overlap" name="overlap_seconds" data-test-id="rotate-overlap-select" aria-describedby="rotate-overlap-help">
      ${OVERLAPS.map(
        (overlap) =>
          html`<option value="${overlap.seconds}"${overlap.seconds === 86_400 ? html` selected` : null}>${overlap.label}</option>`,
      )}
    </select>
    <p class="help" id="rotate-overlap-help">During the overlap each delivery is signed with both secrets, so your server can switch without missing one.</p>
  </div>
  <p class="form-error" id="rotate-secret-error" data-role="form-error" data-test-id="rotate-secret-error" role="alert"></p>
  <div class="actions"><button type="submit" class="button" data-test-id="rotate-secret-button">Rotate secret</button></div>
  <div class="secret-box" data-role="rotated-secret" hidden>
    <p class="field-label" id="rotated-secret-label">New signing secret, shown only now</p>
    <div class="secret-row">
      <code class="credential-value" id="rotated-endpoint-secret" data-test-id="rotated-endpoint-secret"></code>
      <button type="button" class="button button-quiet" data-copy="#rotated-endpoint-secret" aria-describedby="rotated-secret-label">Copy</button>
    </div>
  </div>
</form>`;
}

function recoverForm(endpoint: EndpointSummary): Html {
  return html`<form class="form" data-test-id="recover-form" data-form="recover" data-endpoint-id="${endpoint.id}" novalidate>
  <h3>Recover failed deliveries</h3>
  <p class="help" id="recover-help">Every failed delivery to this endpoint created in the window is sent again. Times are in your browser's time zone.</p>
  <div class="field-row">
    <div class="field">
      <label for="recover-since">From</label>
      <input id="recover-since" name="since" type="datetime-local" step="1" required data-test-id="recover-since-input" aria-describedby="recover-help recover-error">
    </div>
    <div class="field">
      <label for="recover-until">Until <span class="optional">(empty: now)</span></label>
      <input id="recover-until" name="until" type="datetime-local" step="1" data-test-id="recover-until-input" aria-describedby="recover-help recover-error">
    </div>
  </div>
  <p class="form-error" id="recover-error" data-role="form-error" data-test-id="recover-error" role="alert"></p>
  <div class="actions"><button type="submit" class="button" data-test-id="recover-button">Recover deliveries</button></div>
</form>`;
}

function detailSection(detail: EndpointsData['detail']): Html {
  if (!detail) return html``;
  if ('missing' in detail) {
    return html`<section class="card detail" id="endpoint-detail" data-test-id="endpoint-detail" aria-labelledby="endpoint-detail-title">
  <h2 id="endpoint-detail-title" tabindex="-1" data-autofocus>Endpoint not found</h2>
  <p class="error-state">There is no endpoint <code>${detail.missing}</code> in your account.</p>
  <a class="button button-quiet" href="/dashboard/endpoints">Back to all endpoints</a>
</section>`;
  }
  return html`<section class="card detail" id="endpoint-detail" data-test-id="endpoint-detail" data-endpoint-id="${detail.id}" aria-labelledby="endpoint-detail-title">
  <div class="detail-head">
    <h2 id="endpoint-detail-title" tabindex="-1" data-autofocus class="endpoint-title">${detail.url}</h2>
    <a class="button button-quiet" href="/dashboard/endpoints">Close</a>
  </div>
  <dl class="facts">
    <div><dt>Status</dt><dd>${endpointStatus(detail.status)}</dd></div>
    <div><dt>Failing since</dt><dd>${timestamp(detail.failing_since)}</dd></div>
    <div><dt>Endpoint ID</dt><dd class="mono">${detail.id}</dd></div>
    <div><dt>Created</dt><dd>${timestamp(detail.created_at)}</dd></div>
    <div><dt>Description</dt><dd>${detail.description ?? none()}</dd></div>
  </dl>
  ${editForm(detail)}
  ${rotateForm(detail)}
  ${recoverForm(detail)}
</section>`;
}

export function endpointsView(data: EndpointsData): Html {
  return html`<h1>Endpoints</h1>
<p class="lead">Each endpoint receives the events it subscribes to, with its own secret, attempts and retries. Every event is also listed on the <a href="/dashboard/events">Events</a> page.</p>
${addSection()}
<div data-refresh-region="endpoint-detail">${detailSection(data.detail)}</div>
<section class="logs" aria-labelledby="endpoints-title">
  <h2 id="endpoints-title">Your endpoints</h2>
  ${endpointsTable(data)}
</section>`;
}
