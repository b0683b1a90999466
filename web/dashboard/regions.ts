/**
 * Parts of a server-rendered page brought up to date without a reload: the page is fetched again
 * (same URL, so the same filters) and the named elements are swapped for their new versions. Keeps
 * one renderer (the server's) for every table, and keyboard focus where it was.
 */
export async function refreshRegions(
  selectors: readonly string[],
  url = window.location.href,
): Promise<boolean> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
  } catch {
    return false;
  }
  if (!response.ok || response.redirected) {
    // Signed out meanwhile (redirected to /login): let a full navigation show the sign-in page.
    if (response.redirected) window.location.assign(response.url);
    return false;
  }
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
  const focus = describeFocus();
  for (const selector of selectors) {
    const current = document.querySelector(selector);
    const replacement = fresh.querySelector(selector);
    if (current && replacement) current.replaceWith(document.importNode(replacement, true));
    else if (current && !replacement) current.replaceChildren();
  }
  restoreFocus(focus);
  return true;
}

interface FocusDescription {
  selector: string;
}

/** Focus is remembered by what the element is (its test id and row id), not by the element itself. */
function describeFocus(): FocusDescription | null {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || active === document.body) return null;
  if (active.id) return { selector: `#${CSS.escape(active.id)}` };
  const testId = active.getAttribute('data-test-id');
  if (!testId) return null;
  let selector = `[data-test-id="${CSS.escape(testId)}"]`;
  for (const name of ['data-webhook-id', 'data-payment-id']) {
    const value = active.getAttribute(name);
    if (value) selector += `[${name}="${CSS.escape(value)}"]`;
  }
  return { selector };
}

function restoreFocus(focus: FocusDescription | null): void {
  if (!focus || document.activeElement !== document.body) return;
  document.querySelector<HTMLElement>(focus.selector)?.focus();
}
