import { serveCheckout } from './checkout/server.js';
import { type Config, ConfigError, loadConfig } from './config.js';
import { migrate } from './db/migrate.js';
import { createLogger } from './logger.js';
import { serveMetrics } from './metrics/server.js';
import { serveApi } from './processes/api.js';
import { type Closer, handleSignals } from './processes/lifecycle.js';
import { merchantCommand } from './processes/merchant-command.js';
import { serveWorkers } from './processes/worker.js';
import { serveReceiver } from './receiver/server.js';
import { createRuntime } from './runtime.js';

const USAGE = `Usage: gateway <command>

  start     migrate, then run the API, the workers, the checkout server and the test receiver
  api       run the REST API (and dashboard) only
  worker    run the payment, refund and webhook workers and the sweeper only (metrics on METRICS_PORT)
  checkout  serve checkout.js, the hosted checkout page and the /demo store only
  receiver  run the test merchant's webhook receiver (POST /webhook, GET /events) only
  migrate   create the database if needed, apply migrations, seed the test merchant
  merchant  create --name <business> --email <email> --password <password>: a new merchant's credentials
`;

type Command = (config: Config, args: string[]) => Promise<Closer[] | 'done'>;

async function migrateQuietly(config: Config): Promise<void> {
  await migrate(config.DATABASE_URL, createLogger('warn', 'migrate'));
}

const commands: Record<string, Command> = {
  async merchant(config, args) {
    await migrateQuietly(config);
    await merchantCommand(config, args);
    return 'done';
  },
  async migrate(config) {
    const log = createLogger(config.LOG_LEVEL, 'migrate');
    const applied = await migrate(config.DATABASE_URL, log);
    log.info({ applied }, 'database is up to date');
    return 'done';
  },
  async api(config) {
    const rt = createRuntime(config, 'api');
    return [await serveApi(rt), () => rt.close()];
  },
  async worker(config) {
    const rt = createRuntime(config, 'worker');
    // Listening first lets a scrape watch the shutdown drain; it closes last.
    const closeMetrics = await serveMetrics(config, rt.log);
    return [serveWorkers(rt), () => rt.close(), closeMetrics];
  },
  async checkout(config) {
    return [await serveCheckout(config, createLogger(config.LOG_LEVEL, 'checkout'))];
  },
  async receiver(config) {
    return [await serveReceiver(config, createLogger(config.LOG_LEVEL, 'receiver'))];
  },
  async start(config) {
    await commands.migrate?.(config, []);
    const rt = createRuntime(config, 'gateway');
    const closeApi = await serveApi(rt);
    const closeWorkers = serveWorkers(rt);
    const closeCheckout = await serveCheckout(config, rt.log.child({ service: 'checkout' }));
    const closeReceiver = await serveReceiver(config, rt.log.child({ service: 'receiver' }));
    rt.log.info({ api: `http://localhost:${config.PORT}` }, 'gateway started');
    return [closeCheckout, closeApi, closeWorkers, closeReceiver, () => rt.close()];
  },
};

async function main(argv: string[]): Promise<void> {
  const name = argv[0] ?? 'start';
  const command = commands[name];
  if (!command || name === 'help' || name === '--help') {
    process.stdout.write(USAGE);
    process.exitCode = command || name === 'help' || name === '--help' ? 0 : 2;
    return;
  }
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

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`gateway: ${err.message}\n`);
  process.exit(1);
});
