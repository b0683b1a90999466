/**
 * Filter forms (GET) leave their unused fields out of the address: `?status=failed`, not
 * `?q=&status=failed&from=&to=`, so links stay short and say what they filter.
 */
export function enableFilterForms(): void {
  document.addEventListener('submit', (event) => {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    if (!form?.classList.contains('filters') || form.method.toLowerCase() !== 'get') return;
    event.preventDefault();
    const search = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === 'string' && value.trim() !== '') search.set(name, value.trim());
    }
    const text = search.toString();
    window.location.assign(`${new URL(form.action).pathname}${text ? `?${text}` : ''}`);
  });
}
