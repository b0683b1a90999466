import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { createLogger } from '../logger.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { setMerchantActivity, signUpMerchant } from '../services/merchants.js';

export const MERCHANT_USAGE = `Usage: gateway merchant create --name <business> --email <email> --password <password>
       gateway merchant deactivate --email <email>
       gateway merchant activate --email <email>

create      makes a merchant with fresh API credentials and webhook secret (as the dashboard's
            sign-up does) and prints them as JSON. The API secret is printed this once: only its
            hash is stored (regenerate it on the dashboard's overview if it is lost).
deactivate  stops a merchant at once: its credentials authenticate nothing, its dashboard sessions
            end and none of its orders can be paid, the public checkout included.
activate    undoes deactivate.`;

export type MerchantAction =
  | { action: 'create'; name: string; email: string; password: string }
  | { action: 'deactivate' | 'activate'; email: string }
  | { action: 'help' }
  | { action: 'usage' };

/** Reads the arguments without touching anything, so usage errors and --help never open the database. */
export function parseMerchantArgs(args: string[]): MerchantAction {
  const [action, ...rest] = args;
  if (action === undefined) return { action: 'usage' };
  if (action === 'help' || action === '--help' || action === '-h') return { action: 'help' };
  let values: { name?: string; email?: string; password?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        name: { type: 'string' },
        email: { type: 'string' },
        password: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch {
    return { action: 'usage' };
  }
  if (values.help) return { action: 'help' };
  if (action === 'create' && values.name && values.email && values.password) {
    return { action, name: values.name, email: values.email, password: values.password };
  }
  if (
    (action === 'deactivate' || action === 'activate') &&
    values.email &&
    !values.name &&
    !values.password
  ) {
    return { action, email: values.email };
  }
  return { action: 'usage' };
}

/**
 * `gateway merchant …`: merchants from the command line, e.g. for a fresh deployment. The CLI
 * answers help and usage errors itself (see parseMerchantArgs), before anything is opened.
 */
export async function merchantCommand(config: Config, command: MerchantAction): Promise<void> {
  if (command.action === 'help' || command.action === 'usage') throw new Error(MERCHANT_USAGE);
  const runtime = createRuntime(config, 'merchant', { log: createLogger('warn', 'merchant') });
  try {
    const result = await run(runtime, command);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await runtime.close();
  }
}

async function run(runtime: Runtime, command: Exclude<MerchantAction, { action: 'help' | 'usage' }>) {
  if (command.action === 'create') {
    const { merchant, credentials, webhook_secret } = await signUpMerchant(runtime, command);
    return { ...merchant, ...credentials, webhook_secret };
  }
  return setMerchantActivity(runtime, command.email, command.action === 'activate');
}
