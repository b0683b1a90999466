import { type Html, html } from '../html.js';

/**
 * A list that watches for rows newer than its first one: the page's script asks the API's list
 * endpoint (`source`, under /dashboard/api) every few seconds and, when rows arrive that the table
 * does not show, offers them in a banner instead of moving the rows under the reader's pointer.
 */
export interface NewRowsWatch {
  /** The API list to ask, newest first, with the page's filters, e.g. `/payments?limit=20&status=failed`. */
  source: string;
  /** The row attribute holding the item's id, e.g. `data-payment-id`. */
  key: string;
  noun: string;
  nouns: string;
}

/** The attributes that make a refresh region watch for new rows (none when it should not). */
export function newRowsAttributes(watch: NewRowsWatch | null): Html {
  if (!watch) return html``;
  return html` data-new-rows-source="${watch.source}" data-new-rows-key="${watch.key}" data-new-rows-noun="${watch.noun}" data-new-rows-nouns="${watch.nouns}"`;
}

/** The banner the script fills in and shows; hidden until there is something new. */
export function newRowsBanner(): Html {
  return html`<div class="new-rows" data-role="new-rows" data-test-id="new-rows-banner" hidden>
  <button type="button" class="button button-small button-primary" data-action="show-new-rows" data-test-id="show-new-rows-button"></button>
</div>`;
}
