import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { findMerchant } from '../db/merchants.js';
import { createLogger } from '../logger.js';
import { createRuntime } from '../runtime.js';
import { signUpMerchant } from '../services/merchants.js';

export const MERCHANT_USAGE = `Usage: gateway merchant create --name <business> --email <email> --password <password>

Creates a merchant with fresh API credentials and webhook secret (as the dashboard's sign-up does)
and prints them as JSON.`;

/** `gateway merchant create …`: a merchant from the command line, e.g. for a fresh deployment. */
export async function merchantCommand(config: Config, args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values } = parseArgs({
    args: rest,
    options: { name: { type: 'string' }, email: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  });
  if (action !== 'create' || !values.name || !values.email || !values.password) {
    process.stderr.write(`${MERCHANT_USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const rt = createRuntime(config, 'merchant', { log: createLogger('warn', 'merchant') });
  try {
    const created = await signUpMerchant(rt, {
      name: values.name,
      email: values.email,
      password: values.password,
    });
    const merchant = await findMerchant(rt.db, created.id);
    process.stdout.write(
      `${JSON.stringify(
        {
          id: created.id,
          name: created.name,
          email: created.email,
          api_key: merchant?.api_key,
          api_secret: merchant?.api_secret,
          webhook_secret: merchant?.webhook_secret,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await rt.close();
  }
}
