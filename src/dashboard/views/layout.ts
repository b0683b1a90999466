import type { DashboardMerchant } from '../../services/merchants.js';
import { type Html, html } from '../html.js';

export type PageName =
  | 'login'
  | 'signup'
  | 'home'
  | 'transactions'
  | 'webhooks'
  | 'endpoints'
  | 'events'
  | 'logs'
  | 'docs';

export interface PageFrame {
  page: PageName;
  title: string;
  assets: { js: string; css: string };
  merchant: DashboardMerchant | null;
  /** Read by the page's script and sent back in X-CSRF-Token; rendered only for signed-in pages. */
  csrfToken: string | null;
  testMode: boolean;
}

const NAV: ReadonlyArray<{ page: PageName; href: string; label: string }> = [
  { page: 'home', href: '/dashboard', label: 'Overview' },
  { page: 'transactions', href: '/dashboard/transactions', label: 'Transactions' },
  { page: 'webhooks', href: '/dashboard/webhooks', label: 'Webhooks' },
  { page: 'endpoints', href: '/dashboard/endpoints', label: 'Endpoints' },
  { page: 'events', href: '/dashboard/events', label: 'Events' },
  { page: 'logs', href: '/dashboard/logs', label: 'Logs' },
  { page: 'docs', href: '/dashboard/docs', label: 'Docs' },
];

/** Which gateway this is, on every page: test mode (public test values) or live. */
export function modeBadge(testMode: boolean): Html {
  return testMode
    ? html`<span class="badge badge-test" data-test-id="mode-badge">Test mode</span>`
    : html`<span class="badge badge-live" data-test-id="mode-badge">Live mode</span>`;
}

function topBar(frame: PageFrame): Html {
  const signedIn = frame.merchant !== null;
  return html`<header class="topbar">
  <a class="brand" href="${signedIn ? '/dashboard' : '/login'}">Payment Gateway</a>
  ${modeBadge(frame.testMode)}
  ${
    signedIn
      ? html`<nav class="nav" aria-label="Dashboard">
    <ul>
      ${NAV.map(
        (item) =>
          html`<li><a href="${item.href}"${item.page === frame.page ? html` aria-current="page"` : null}>${item.label}</a></li>`,
      )}
    </ul>
  </nav>
  <div class="account">
    <span class="account-name" title="${frame.merchant?.email ?? ''}">${frame.merchant?.name ?? ''}</span>
    <button type="button" class="button button-quiet" data-action="logout">Log out</button>
  </div>`
      : html`<div class="account"><a class="button button-quiet" href="/login">Log in</a></div>`
  }
</header>`;
}

/** The document around every page: one stylesheet, one deferred script, no inline code (CSP). */
export function layout(frame: PageFrame, main: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
${frame.csrfToken ? html`<meta name="csrf-token" content="${frame.csrfToken}">` : null}
<title>${frame.title} · Payment Gateway</title>
<link rel="icon" href="/favicon.ico" sizes="16x16 32x32">
<link rel="stylesheet" href="${frame.assets.css}">
<script src="${frame.assets.js}" defer></script>
</head>
<body data-page="${frame.page}">
<a class="skip-link" href="#main">Skip to content</a>
${frame.page === 'login' || frame.page === 'signup' ? null : topBar(frame)}
<main id="main" class="main main-${frame.page}" tabindex="-1">
${frame.page === 'login' || frame.page === 'signup' ? html`<p class="mode-line">${modeBadge(frame.testMode)}</p>` : null}
${main}
</main>
<p class="toast" role="status" aria-live="polite" data-role="announcer" data-test-id="status-message"></p>
</body>
</html>
`;
}
