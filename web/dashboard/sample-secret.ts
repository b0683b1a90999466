/**
 * "Use my test secret in samples" on the docs page. The secret the merchant types is kept in this
 * tab's sessionStorage (gone when the tab closes, never in a cookie or a request) and replaces the
 * $GATEWAY_API_SECRET placeholder in every sample marked data-sample-secret, so Copy copies a
 * command that runs as it is.
 */
const STORAGE_KEY = 'gateway.sample-secret';
const PLACEHOLDER = '$GATEWAY_API_SECRET';

function storedSecret(): string {
  try {
    return window.sessionStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return ''; // storage refused (private mode, policy): the samples keep the placeholder
  }
}

function storeSecret(secret: string): void {
  try {
    if (secret) window.sessionStorage.setItem(STORAGE_KEY, secret);
    else window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // nothing kept; the toggle still works for this page view
  }
}

export function enableSampleSecret(): void {
  const input = document.querySelector<HTMLInputElement>('#sample-secret-input');
  const toggle = document.querySelector<HTMLInputElement>('#sample-secret-toggle');
  const status = document.querySelector<HTMLElement>('#sample-secret-status');
  if (!input || !toggle) return;
  const samples = [...document.querySelectorAll<HTMLElement>('code[data-sample-secret]')];
  const originals = new Map(samples.map((sample) => [sample, sample.textContent ?? '']));

  const apply = () => {
    const secret = input.value.trim();
    const using = toggle.checked && secret !== '';
    for (const [sample, original] of originals) {
      sample.textContent = using ? original.split(PLACEHOLDER).join(secret) : original;
    }
    storeSecret(toggle.checked ? secret : '');
    if (status) {
      status.textContent = using
        ? `The samples use your secret (${samples.length} of them).`
        : toggle.checked
          ? 'Paste your secret above to use it in the samples.'
          : '';
    }
  };

  const saved = storedSecret();
  if (saved) {
    input.value = saved;
    toggle.checked = true;
  }
  input.addEventListener('input', apply);
  toggle.addEventListener('change', apply);
  input.form?.addEventListener('submit', (event) => event.preventDefault());
  apply();
}

/** On phones the page's navigation starts folded, so the content comes first. */
export function foldDocsNavOnPhones(): void {
  const nav = document.querySelector<HTMLDetailsElement>('details.docs-nav');
  if (nav && window.matchMedia('(max-width: 899px)').matches) nav.open = false;
}
