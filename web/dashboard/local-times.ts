/**
 * Times arrive from the server in UTC ("15 Jan 2024, 10:31:00 UTC", with the same text in their
 * title). Each <time datetime> is rewritten in the reader's time zone, named, and keeps the UTC
 * time in its title for hovering; times that later parts of the page bring (a refreshed table, new
 * rows) are rewritten as they arrive.
 */
const LOCAL = new Intl.DateTimeFormat(undefined, {
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
  timeZoneName: 'short',
});

function localise(time: HTMLTimeElement): void {
  if (time.dataset.local === 'true') return;
  const at = new Date(time.dateTime);
  if (Number.isNaN(at.getTime()) || !time.dateTime.includes('T')) return; // a date, not a moment
  if (!time.title) time.title = time.textContent ?? '';
  time.textContent = LOCAL.format(at);
  time.dataset.local = 'true';
}

function localiseWithin(root: ParentNode): void {
  for (const time of root.querySelectorAll<HTMLTimeElement>('time[datetime]')) localise(time);
}

export function showLocalTimes(): void {
  localiseWithin(document);
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (node instanceof HTMLTimeElement) localise(node);
        else if (node instanceof Element) localiseWithin(node);
      }
    }
  }).observe(document.body, { childList: true, subtree: true });
}
