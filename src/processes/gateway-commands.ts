import { serveCheckout } from '../checkout/server.js';
import { type Config, ConfigError, loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { createLogger } from '../logger.js';
import { serveMetrics } from '../metrics/server.js';
import { serveReceiver } from '../receiver/server.js';
import { createRuntime } from '../runtime.js';
import { serveApi } from './api.js';
import { type Closer, handleSignals } from './lifecycle.js';
import { MERCHANT_USAGE, merchantCommand, parseMerchantArgs } from './merchant-command.js';
import { serveWorkers } from './worker.js';

const USAGE = `Usage: gateway <command>

  start     migrate, then run the API, the workers and the checkout server (and, in test mode, the
            test receiver)
  api       run the REST API (and dashboard) only
  worker    run the payment, refund and webhook workers and the sweeper only (metrics on METRICS_PORT)
  checkout  serve checkout.js, the hosted checkout page and the /demo store only
  receiver  run the test merchant's webhook receiver (POST /webhook, GET /events) only
  migrate   create the database if needed, apply migrations, seed the test merchant
  merchant  create --name <business> --email <email> --password <password>: a new merchant's
            credentials; deactivate|activate --email <email> (gateway merchant --help)

Developer tools (talk to a running API; --help for their options):
  listen    forward the merchant's events, signed, to a local URL: listen --forward-to <url>
  trigger   create the objects that produce an event: trigger payment.success
  logs      tail the request log: logs tail [--status 4xx] [--method POST] [--path /api/v1/payments]

--help (or -h) after any command prints this and touches nothing.
`;

const HELP = new Set(['help', '--help', '-h']);

type Command = (config: Config, args: string[]) => Promise<Closer[] | 'done'>;

async function migrateQuietly(config: Config): Promise<void> {
  await migrate(config.DATABASE_DIRECT_URL, createLogger('warn', 'migrate'));
}

const commands: Record<string, Command> = {
  async merchant(config, args) {
    await migrateQuietly(config);
    await merchantCommand(config, parseMerchantArgs(args));
    return 'done';
  },
  async migrate(config) {
    const log = createLogger(config.LOG_LEVEL, 'migrate');
    const applied = await migrate(config.DATABASE_DIRECT_URL, log);
    log.info({ applied }, 'database is up to date');
    return 'done';
  },
  async api(config) {
    const runtime = createRuntime(config, 'api');
    return [await serveApi(runtime), () => runtime.close()];
  },
  async worker(config) {
    const runtime = createRuntime(config, 'worker');
    // Listening first lets a scrape watch the shutdown drain; it closes last.
    const closeMetrics = await serveMetrics(config, runtime.log);
    return [serveWorkers(runtime), () => runtime.close(), closeMetrics];
  },
  async checkout(config) {
    return [await serveCheckout(config, createLogger(config.LOG_LEVEL, 'checkout'))];
  },
  async receiver(config) {
    return [await serveReceiver(config, createLogger(config.LOG_LEVEL, 'receiver'))];
  },
  async start(config) {
    await commands.migrate?.(config, []);
    const runtime = createRuntime(config, 'gateway');
    const closeApi = await serveApi(runtime);
    const closeWorkers = serveWorkers(runtime);
    const closeCheckout = await serveCheckout(config, runtime.log.child({ service: 'checkout' }));
    // The test merchant's receiver is a demo aid: outside test mode it runs only when asked for
    // (`gateway receiver`), never as a side effect of starting the gateway.
    const closeReceiver = config.TEST_MODE
      ? await serveReceiver(config, runtime.log.child({ service: 'receiver' }))
      : async () => undefined;
    runtime.log.info(
      { api: `http://localhost:${config.PORT}`, receiver: config.TEST_MODE ? config.RECEIVER_PORT : null },
      'gateway started',
    );
    return [closeCheckout, closeApi, closeWorkers, closeReceiver, () => runtime.close()];
  },
};

/**
 * Usage questions and usage errors are answered before configuration is read or anything is
 * opened: `gateway <command> --help` never creates, migrates or seeds a database.
 */
function answeredWithUsage(name: string, args: string[]): boolean {
  if (HELP.has(name) || !commands[name]) {
    process.stdout.write(USAGE);
    process.exitCode = HELP.has(name) ? 0 : 2;
    return true;
  }
  if (name === 'merchant') {
    const parsed = parseMerchantArgs(args);
    if (parsed.action !== 'help' && parsed.action !== 'usage') return false;
    (parsed.action === 'help' ? process.stdout : process.stderr).write(`${MERCHANT_USAGE}\n`);
    process.exitCode = parsed.action === 'help' ? 0 : 2;
    return true;
  }
  if (args.some((arg) => HELP.has(arg))) {
    process.stdout.write(USAGE);
    process.exitCode = 0;
    return true;
  }
  return false;
}

/** Runs a command of the gateway itself (`start`, `api`, `worker`, …) with its configuration. */
export async function runGatewayCommand(argv: string[]): Promise<void> {
  const name = argv[0] ?? 'start';
  const command = commands[name];
  if (answeredWithUsage(name, argv.slice(1)) || !command) return;
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  // Before the command starts, so that a signal during start-up still closes what was opened.
  const signals = handleSignals(createLogger(config.LOG_LEVEL, 'gateway'));
  const result = await command(config, argv.slice(1));
  if (result === 'done') signals.dispose();
  else signals.ready(result);
}
