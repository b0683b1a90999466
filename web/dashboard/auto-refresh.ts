import { refreshRegions } from './regions.js';

const INTERVAL_MS = 3000;

/**
 * While any refreshable part of the page shows something still in progress (a pending delivery,
 * payment or refund, marked data-pending="true" by the server), it is fetched again every few
 * seconds; polling stops by itself once everything has settled, and pauses in background tabs.
 */
export function startAutoRefresh(): void {
  const regions = Array.from(document.querySelectorAll<HTMLElement>('[data-refresh-region]')).map(
    (region) => `[data-refresh-region="${region.dataset.refreshRegion}"]`,
  );
  if (regions.length === 0) return;
  let timer: number | undefined;
  let running = false;
  let again = false;

  const pending = () => document.querySelector('[data-refresh-region][data-pending="true"]') !== null;
  const schedule = () => {
    window.clearTimeout(timer);
    if (pending() && document.visibilityState === 'visible') timer = window.setTimeout(tick, INTERVAL_MS);
  };
  const tick = async () => {
    if (running) {
      // A change arrived during a refresh that may already be stale: refresh once more after it.
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await refreshRegions(regions);
      } while (again);
    } finally {
      running = false;
      schedule();
    }
  };

  document.addEventListener('visibilitychange', schedule);
  // Actions on the page (a retry, a refund) call this to refresh now and resume polling.
  document.addEventListener('dashboard:changed', () => void tick());
  schedule();
}

/** Tells the page that something it shows has changed on the server. */
export function pageChanged(): void {
  document.dispatchEvent(new CustomEvent('dashboard:changed'));
}
