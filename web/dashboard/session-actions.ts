import { announce } from './feedback.js';
import { callDashboard } from './http.js';

/** "Log out": ends the session on the server (the cookie is cleared there too), then the sign-in page. */
export function enableLogout(): void {
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('[data-action="logout"]') : null;
    if (!button) return;
    void (async () => {
      try {
        await callDashboard('/logout', { method: 'POST' });
        window.location.assign('/login');
      } catch {
        announce('Could not log out. Try again.');
      }
    })();
  });
}

/**
 * A page opened on one item (?payment=…#…, ?log=…#…) moves focus to that item's heading. After the
 * load event: the browser's own scroll to the fragment would otherwise take the focus back.
 */
export function focusOpenedItem(): void {
  const heading = document.querySelector<HTMLElement>('[data-autofocus]');
  if (!heading || !window.location.hash) return;
  const focus = () => window.requestAnimationFrame(() => heading.focus());
  if (document.readyState === 'complete') focus();
  else window.addEventListener('load', focus, { once: true });
}
