import {
  findMerchant,
  findMerchantLogin,
  insertMerchant,
  setMerchantActive,
  updateApiSecretHash,
} from '../db/merchants.js';
import { merchantMayAct, TEST_MERCHANT } from '../db/seed.js';
import { hashApiSecret, newApiSecret } from '../domain/api-secrets.js';
import { badRequest, notFound } from '../domain/errors.js';
import { randomAlphanumeric } from '../domain/ids.js';
import { newWebhookSecret } from '../domain/signing.js';
import type { Runtime } from '../runtime.js';
import {
  hashPassword,
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  verifyAgainstDecoy,
  verifyPassword,
} from './passwords.js';

/** Who is signed in to the dashboard. */
export interface DashboardMerchant {
  id: string;
  name: string;
  email: string;
}

export interface SignUpInput {
  name: string;
  email: string;
  password: string;
}

// Deliberately loose: one @, something on both sides, a dot in the domain. The address is a login
// name here; nothing is ever mailed to it.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const EMAIL_MAX_LENGTH = 254;
const NAME_MAX_LENGTH = 100;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function validateSignUp(input: SignUpInput): SignUpInput {
  const name = input.name.trim();
  const email = normaliseEmail(input.email);
  if (name.length === 0) throw badRequest('Business name is required', 'name');
  if (name.length > NAME_MAX_LENGTH) {
    throw badRequest(`Business name must be at most ${NAME_MAX_LENGTH} characters`, 'name');
  }
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL.test(email)) {
    throw badRequest('Enter a valid email address', 'email');
  }
  if (input.password.length < PASSWORD_MIN_LENGTH) {
    throw badRequest(`Password must be at least ${PASSWORD_MIN_LENGTH} characters`, 'password');
  }
  if (input.password.length > PASSWORD_MAX_LENGTH) {
    throw badRequest(`Password must be at most ${PASSWORD_MAX_LENGTH} characters`, 'password');
  }
  return { name, email, password: input.password };
}

/** API credentials as shown once: the secret in the clear, which is never stored. */
export interface IssuedCredentials {
  api_key: string;
  api_secret: string;
}

export interface SignedUpMerchant {
  merchant: DashboardMerchant;
  credentials: IssuedCredentials;
  webhook_secret: string;
}

/**
 * Creates a merchant with fresh API credentials and webhook secret; the API secret is returned
 * here, once, and stored only as its hash. An api key collision (or a concurrent sign-up with the
 * same email) is told apart from a taken email by looking again.
 */
export async function signUpMerchant(runtime: Runtime, input: SignUpInput): Promise<SignedUpMerchant> {
  const valid = validateSignUp(input);
  const passwordHash = await hashPassword(valid.password);
  for (let tries = 0; tries < 5; tries++) {
    if (await findMerchantLogin(runtime.db, valid.email)) {
      throw badRequest('An account with this email already exists; log in instead', 'email');
    }
    const apiSecret = newApiSecret();
    const merchant = await insertMerchant(runtime.db, {
      name: valid.name,
      email: valid.email,
      api_key: `key_test_${randomAlphanumeric(16)}`,
      api_secret_hash: hashApiSecret(apiSecret),
      webhook_secret: newWebhookSecret(),
      password_hash: passwordHash,
    });
    if (merchant) {
      return {
        merchant: { id: merchant.id, name: merchant.name, email: merchant.email },
        credentials: { api_key: merchant.api_key, api_secret: apiSecret },
        webhook_secret: merchant.webhook_secret,
      };
    }
  }
  throw new Error('could not allocate unique merchant credentials');
}

/**
 * The merchant these credentials sign in, or null. Unknown emails cost the same scrypt work as a
 * wrong password, so the answer and its timing do not reveal which emails have accounts. In test
 * mode the seeded test merchant accepts any password: its credentials are public test credentials;
 * outside test mode it never signs in.
 */
export async function verifyMerchantLogin(
  runtime: Runtime,
  email: string,
  password: string,
): Promise<DashboardMerchant | null> {
  const login = await findMerchantLogin(runtime.db, normaliseEmail(email));
  const isPublicTestMerchant = runtime.config.TEST_MODE && login?.id === TEST_MERCHANT.id;
  const matches =
    login?.password_hash && !isPublicTestMerchant
      ? await verifyPassword(password, login.password_hash)
      : await verifyAgainstDecoy(password);
  if (!login || !merchantMayAct(login.id, runtime.config.TEST_MODE) || !(matches || isPublicTestMerchant)) {
    return null;
  }
  return { id: login.id, name: login.name, email: login.email };
}

export async function findDashboardMerchant(runtime: Runtime, id: string): Promise<DashboardMerchant | null> {
  const merchant = await findMerchant(runtime.db, id);
  return merchant && { id: merchant.id, name: merchant.name, email: merchant.email };
}

/** The published secret of the public test merchant in test mode; any other secret exists only as a hash. */
function publishedSecret(runtime: Runtime, merchantId: string): string | null {
  return runtime.config.TEST_MODE && merchantId === TEST_MERCHANT.id ? TEST_MERCHANT.api_secret : null;
}

/**
 * The API credentials shown on the dashboard's home page: the key, and the secret only when it is
 * the test merchant's published one (every other secret was shown once and is kept only as a hash).
 */
export async function merchantCredentials(
  runtime: Runtime,
  id: string,
): Promise<{ api_key: string; api_secret: string | null }> {
  const merchant = await findMerchant(runtime.db, id);
  if (!merchant) throw notFound('Merchant');
  return { api_key: merchant.api_key, api_secret: publishedSecret(runtime, id) };
}

/**
 * A new API secret for the merchant, returned once; the old one stops working at once (every API
 * process reads the stored hash on each request). The test merchant keeps its published secret.
 */
export async function regenerateApiSecret(runtime: Runtime, merchantId: string): Promise<IssuedCredentials> {
  if (merchantId === TEST_MERCHANT.id) {
    throw badRequest("The test merchant's credentials are published test credentials and cannot be changed");
  }
  const merchant = await findMerchant(runtime.db, merchantId);
  if (!merchant) throw notFound('Merchant');
  const apiSecret = newApiSecret();
  if (!(await updateApiSecretHash(runtime.db, merchantId, hashApiSecret(apiSecret))))
    throw notFound('Merchant');
  return { api_key: merchant.api_key, api_secret: apiSecret };
}

/**
 * Deactivates (or reactivates) a merchant by email. A deactivated merchant authenticates nowhere,
 * its dashboard sessions end, and none of its orders can be paid, the public checkout included.
 */
export async function setMerchantActivity(runtime: Runtime, email: string, active: boolean) {
  const changed = await setMerchantActive(runtime.db, normaliseEmail(email), active);
  if (!changed) throw notFound('Merchant');
  return changed;
}
