import { announce } from './feedback.js';
import { callDashboard } from './http.js';
import { refreshRegions } from './regions.js';

const INTERVAL_MS = 5000;

interface Listed {
  data: Array<{ id: string }>;
}

/**
 * Lists that gain rows while they are open (payments, webhook deliveries): every few seconds, while
 * the tab is visible, the API's list is asked for its first page with the page's filters; rows
 * newer than the newest one shown are counted into a "N new" banner, and its button brings them in
 * (the server renders them, as it rendered the rest). Nothing moves until the reader asks.
 */
export function watchForNewRows(): void {
  const watched = Array.from(document.querySelectorAll<HTMLElement>('[data-new-rows-source]')).map(
    (region) => `[data-refresh-region="${region.dataset.refreshRegion}"]`,
  );
  if (watched.length === 0) return;
  let timer: number | undefined;

  const schedule = () => {
    window.clearTimeout(timer);
    if (document.visibilityState === 'visible') timer = window.setTimeout(tick, INTERVAL_MS);
  };
  const tick = async () => {
    await Promise.all(watched.map((selector) => checkRegion(selector)));
    schedule();
  };

  // A hidden tab asks nothing; coming back checks at once.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void tick();
    else window.clearTimeout(timer);
  });
  document.addEventListener('click', (event) => {
    const button =
      event.target instanceof Element
        ? event.target.closest<HTMLButtonElement>('[data-action="show-new-rows"]')
        : null;
    const region = button?.closest<HTMLElement>('[data-refresh-region]');
    if (button && region) void showNewRows(`[data-refresh-region="${region.dataset.refreshRegion}"]`);
  });
  schedule();
}

/** How many of the listed ids (newest first) come before the newest one the table shows. */
export function countNewer(listed: readonly string[], shown: ReadonlySet<string>): number {
  const firstKnown = listed.findIndex((id) => shown.has(id));
  return firstKnown === -1 ? listed.length : firstKnown;
}

function shownIds(region: HTMLElement): Set<string> {
  const key = region.dataset.newRowsKey ?? '';
  return new Set(Array.from(region.querySelectorAll(`tbody [${key}]`), (row) => row.getAttribute(key) ?? ''));
}

async function checkRegion(selector: string): Promise<void> {
  const region = document.querySelector<HTMLElement>(selector);
  const source = region?.dataset.newRowsSource;
  if (!region || !source) return;
  let listed: Listed;
  try {
    listed = await callDashboard<Listed>(source);
  } catch {
    return; // Offline for a moment: the next check tries again.
  }
  // The table may have been refreshed while the answer was on its way: count against what it shows now.
  const current = document.querySelector<HTMLElement>(selector);
  if (!current) return;
  const ids = listed.data.map((item) => item.id);
  const count = countNewer(ids, shownIds(current));
  // Every row listed is new: there may be more than one page of them.
  const full = count > 0 && count === ids.length && ids.length >= limitOf(source);
  updateBanner(current, count, full);
}

function limitOf(source: string): number {
  const limit = Number(new URL(source, window.location.origin).searchParams.get('limit'));
  return Number.isFinite(limit) && limit > 0 ? limit : Number.POSITIVE_INFINITY;
}

function describeCount(region: HTMLElement, count: number, full: boolean): string {
  const noun = count === 1 ? region.dataset.newRowsNoun : region.dataset.newRowsNouns;
  return `${count}${full ? '+' : ''} new ${noun ?? ''}`.trim();
}

function updateBanner(region: HTMLElement, count: number, full: boolean): void {
  const banner = region.querySelector<HTMLElement>('[data-role="new-rows"]');
  const button = banner?.querySelector<HTMLButtonElement>('[data-action="show-new-rows"]');
  if (!banner || !button) return;
  const previous = Number(banner.dataset.count ?? '0');
  banner.dataset.count = String(count);
  if (count === 0) {
    banner.hidden = true;
    return;
  }
  const text = describeCount(region, count, full);
  button.textContent = `Show ${text}`;
  banner.hidden = false;
  if (count > previous) announce(`${text}. Use the Show button above the table to add them.`);
}

async function showNewRows(selector: string): Promise<void> {
  const before = document.querySelector<HTMLElement>(selector);
  if (!before) return;
  const known = shownIds(before);
  const key = before.dataset.newRowsKey ?? '';
  if (!(await refreshRegions([selector]))) {
    announce('The new rows could not be loaded. Try again.');
    return;
  }
  const after = document.querySelector<HTMLElement>(selector);
  if (!after) return;
  const added = Array.from(after.querySelectorAll<HTMLElement>(`tbody [${key}]`)).filter(
    (row) => !known.has(row.getAttribute(key) ?? ''),
  );
  for (const row of added) row.classList.add('is-new');
  // Focus moves to the first new row (the button that had it is gone), so keyboard users land on it.
  added[0]?.querySelector<HTMLElement>('a, button')?.focus();
  announce(
    added.length === 0
      ? 'The list is up to date.'
      : `${describeCount(after, added.length, false)} shown at the top of the table.`,
  );
}
