import { PASSWORD_MIN_LENGTH } from '../../services/passwords.js';
import { type Html, html } from '../html.js';

/** Sign-in page. In test mode it says how the public test merchant signs in. */
export function loginView(options: { testMode: boolean; next: string | null }): Html {
  return html`<section class="auth-card" aria-labelledby="login-title">
  <p class="brand brand-large">Payment Gateway</p>
  <h1 id="login-title">Sign in to your dashboard</h1>
  ${
    options.testMode
      ? html`<p class="notice">Test mode: <strong>test@example.com</strong> signs in with any password.</p>`
      : null
  }
  <form class="form" data-test-id="login-form" data-form="login" method="post" action="/login" novalidate${
    options.next ? html` data-next="${options.next}"` : null
  }>
    <div class="field">
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required maxlength="254"
        data-test-id="email-input" aria-describedby="login-error">
    </div>
    <div class="field">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" maxlength="256"
        data-test-id="password-input" aria-describedby="login-error">
    </div>
    <p class="form-error" id="login-error" data-role="form-error" role="alert"></p>
    <button type="submit" class="button button-primary button-block" data-test-id="login-button">Sign in</button>
  </form>
  <p class="auth-switch">New to the gateway? <a href="/signup">Create a merchant account</a></p>
  <noscript><p class="form-error">Signing in needs JavaScript.</p></noscript>
</section>`;
}

/** Sign-up: a new merchant with its own API keys and webhook secret. */
export function signUpView(): Html {
  return html`<section class="auth-card" aria-labelledby="signup-title">
  <p class="brand brand-large">Payment Gateway</p>
  <h1 id="signup-title">Create a merchant account</h1>
  <p class="muted">You get your own test API key, secret and webhook secret.</p>
  <form class="form" data-test-id="signup-form" data-form="signup" method="post" action="/signup" novalidate>
    <div class="field">
      <label for="name">Business name</label>
      <input id="name" name="name" type="text" autocomplete="organization" required maxlength="100"
        data-test-id="signup-name-input" aria-describedby="signup-error">
    </div>
    <div class="field">
      <label for="email">Email</label>
      <input id="email" name="email" type="email" autocomplete="username" required maxlength="254"
        data-test-id="signup-email-input" aria-describedby="signup-error">
    </div>
    <div class="field">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="new-password" required
        minlength="${PASSWORD_MIN_LENGTH}" maxlength="256" data-test-id="signup-password-input"
        aria-describedby="password-help signup-error">
      <p class="help" id="password-help">At least ${PASSWORD_MIN_LENGTH} characters.</p>
    </div>
    <p class="form-error" id="signup-error" data-role="form-error" role="alert"></p>
    <button type="submit" class="button button-primary button-block" data-test-id="signup-button">Create account</button>
  </form>
  <p class="auth-switch">Already have an account? <a href="/login">Sign in</a></p>
</section>
${issuedCredentials()}`;
}

/**
 * Filled in by the page's script once the account exists: the API secret is in the sign-up answer
 * only (the gateway keeps a hash of it), so this is the one time it is shown.
 */
function issuedCredentials(): Html {
  return html`<section class="auth-card" data-role="issued-credentials" data-test-id="issued-credentials" aria-labelledby="issued-title" hidden>
  <h1 id="issued-title" tabindex="-1">Save your API secret</h1>
  <p class="notice">This is the only time the secret is shown: the gateway keeps only a hash of it. Store it on your server now. If you lose it, regenerate it on the Overview page.</p>
  <dl class="credentials">
    <div class="credential">
      <dt id="issued-key-label">API key</dt>
      <dd>
        <code class="credential-value" id="issued-api-key" data-test-id="issued-api-key"></code>
        <button type="button" class="button button-quiet" data-copy="#issued-api-key" aria-describedby="issued-key-label">Copy</button>
      </dd>
    </div>
    <div class="credential">
      <dt id="issued-secret-label">API secret</dt>
      <dd>
        <code class="credential-value" id="issued-api-secret" data-test-id="issued-api-secret"></code>
        <button type="button" class="button button-quiet" data-copy="#issued-api-secret" aria-describedby="issued-secret-label">Copy</button>
      </dd>
    </div>
  </dl>
  <a class="button button-primary button-block issued-continue" href="/dashboard" data-test-id="continue-button">I have saved it: go to the dashboard</a>
</section>`;
}
