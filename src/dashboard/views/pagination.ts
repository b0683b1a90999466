import { type Html, html } from '../html.js';

export interface PageWindow {
  total: number;
  limit: number;
  offset: number;
}

/** Page number (1-based) from a query value: anything odd is page 1. */
export function pageNumber(value: string | undefined): number {
  const page = Number(value);
  return Number.isSafeInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1;
}

/** "Showing 21–40 of 57" with previous/next links (absent, not disabled, where there is no page). */
export function pagination(window: PageWindow, href: (page: number) => string, label: string): Html {
  if (window.total === 0) return html``;
  const page = Math.floor(window.offset / window.limit) + 1;
  const pages = Math.max(1, Math.ceil(window.total / window.limit));
  const first = Math.min(window.offset + 1, window.total);
  const last = Math.min(window.offset + window.limit, window.total);
  return html`<nav class="pagination" aria-label="${label}">
  <p class="pagination-summary" data-test-id="pagination-summary">Showing ${first}–${last} of ${window.total}</p>
  <div class="pagination-links">
    ${page > 1 ? html`<a class="button button-quiet" href="${href(page - 1)}" rel="prev" data-test-id="previous-page">Previous</a>` : null}
    <span class="pagination-page">Page ${page} of ${pages}</span>
    ${page < pages ? html`<a class="button button-quiet" href="${href(page + 1)}" rel="next" data-test-id="next-page">Next</a>` : null}
  </div>
</nav>`;
}
