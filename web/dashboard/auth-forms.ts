import { announce, clearFormError, showFormError, whileBusy } from './feedback.js';
import { callDashboard, DashboardApiError } from './http.js';

/** Sign-in and sign-up: JSON to the dashboard's endpoints; the session arrives as an HttpOnly cookie. */
export function enableAuthForms(): void {
  const login = document.querySelector<HTMLFormElement>('form[data-form="login"]');
  login?.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn(login);
  });
  const signup = document.querySelector<HTMLFormElement>('form[data-form="signup"]');
  signup?.addEventListener('submit', (event) => {
    event.preventDefault();
    void signUp(signup);
  });
}

const field = (form: HTMLFormElement, name: string) =>
  form.querySelector<HTMLInputElement>(`[name="${name}"]`);

async function signIn(form: HTMLFormElement): Promise<void> {
  const email = field(form, 'email');
  const password = field(form, 'password');
  if (!email?.value.trim()) {
    showFormError(form, 'Enter your email address.', email);
    return;
  }
  clearFormError(form);
  await whileBusy(form.querySelector('button[type="submit"]'), async () => {
    try {
      await callDashboard('/login', {
        method: 'POST',
        body: { email: email.value.trim(), password: password?.value ?? '' },
      });
      announce('Signed in.');
      window.location.assign(form.dataset.next ?? '/dashboard');
    } catch (err) {
      if (password) password.value = '';
      showFormError(
        form,
        describe(err),
        err instanceof DashboardApiError && err.status === 401 ? email : null,
      );
    }
  });
}

async function signUp(form: HTMLFormElement): Promise<void> {
  const values = {
    name: field(form, 'name')?.value.trim() ?? '',
    email: field(form, 'email')?.value.trim() ?? '',
    password: field(form, 'password')?.value ?? '',
  };
  if (!values.name) return showFormError(form, 'Enter your business name.', field(form, 'name'));
  if (!values.email) return showFormError(form, 'Enter your email address.', field(form, 'email'));
  const minimum = Number(field(form, 'password')?.minLength ?? 8);
  if (values.password.length < minimum) {
    return showFormError(
      form,
      `Choose a password of at least ${minimum} characters.`,
      field(form, 'password'),
    );
  }
  clearFormError(form);
  await whileBusy(form.querySelector('button[type="submit"]'), async () => {
    try {
      const created = await callDashboard<{ credentials: IssuedCredentials }>('/signup', {
        method: 'POST',
        body: values,
      });
      showIssuedCredentials(form, created.credentials);
    } catch (err) {
      const blamed = err instanceof DashboardApiError && err.field ? field(form, err.field) : null;
      showFormError(form, describe(err), blamed);
    }
  });
}

interface IssuedCredentials {
  api_key: string;
  api_secret: string;
}

/**
 * The new account's key and secret, in place of the form. The secret is in the sign-up answer only
 * (the gateway keeps a hash), so the page waits for the merchant to save it before moving on.
 */
function showIssuedCredentials(form: HTMLFormElement, credentials: IssuedCredentials): void {
  const panel = document.querySelector<HTMLElement>('[data-role="issued-credentials"]');
  const key = document.querySelector('#issued-api-key');
  const secret = document.querySelector('#issued-api-secret');
  if (!panel || !key || !secret) {
    window.location.assign('/dashboard');
    return;
  }
  key.textContent = credentials.api_key;
  secret.textContent = credentials.api_secret;
  const card = form.closest<HTMLElement>('.auth-card');
  if (card) card.hidden = true;
  panel.hidden = false;
  panel.querySelector<HTMLElement>('h1')?.focus();
  announce('Account created. Save your API secret now: it is shown only once.');
}

function describe(err: unknown): string {
  return err instanceof DashboardApiError ? err.description : 'Something went wrong. Try again.';
}
