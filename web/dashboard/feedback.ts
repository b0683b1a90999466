/** Messages to the person using the page: a polite status line, and per-form errors. */
export function announce(message: string): void {
  const region = document.querySelector<HTMLElement>('[data-role="announcer"]');
  if (!region) return;
  // Clearing first makes screen readers repeat a message that happens to be the same as the last.
  region.textContent = '';
  window.setTimeout(() => {
    region.textContent = message;
  }, 50);
}

export function showFormError(form: HTMLFormElement, message: string, field?: HTMLElement | null): void {
  const slot = form.querySelector<HTMLElement>('[data-role="form-error"]');
  if (slot) slot.textContent = message;
  for (const invalid of form.querySelectorAll('[aria-invalid="true"]'))
    invalid.removeAttribute('aria-invalid');
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

export function clearFormError(form: HTMLFormElement): void {
  showFormError(form, '');
}

/** Disables a button while its action runs, so a double click does not act twice. */
export async function whileBusy<T>(button: HTMLButtonElement | null, work: () => Promise<T>): Promise<T> {
  const hadFocus = button !== null && document.activeElement === button;
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  try {
    return await work();
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
      // A disabled button loses focus; give it back so keyboard users stay where they were.
      if (hadFocus && button.isConnected) button.focus();
    }
  }
}
