import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * Every environment variable the gateway reads, with its default. Nothing else in the code base
 * reads process.env: processes receive a parsed Config, which also lets tests build one directly.
 */
const Port = (fallback: number) => Type.Integer({ minimum: 0, maximum: 65535, default: fallback });
const Flag = (fallback: boolean) => Type.Boolean({ default: fallback });

export const ConfigSchema = Type.Object({
  DATABASE_URL: Type.String({
    pattern: '^postgres(ql)?://',
    default: 'postgresql://postgres@127.0.0.1:5432/payment_gateway',
    description: 'PostgreSQL connection string; the database is created if missing',
  }),
  DATABASE_DIRECT_URL: Type.Optional(
    Type.String({
      pattern: '^postgres(ql)?://',
      description:
        'A session connection to PostgreSQL itself, for migrations, advisory locks and LISTEN, when DATABASE_URL points at a transaction pooler such as PgBouncer (default: DATABASE_URL)',
    }),
  ),
  REDIS_URL: Type.String({ pattern: '^rediss?://', default: 'redis://127.0.0.1:6379' }),
  REDIS_CLUSTER_NODES: Type.Optional(
    Type.String({
      pattern: '^[^,\\s:]+:[0-9]{1,5}(,[^,\\s:]+:[0-9]{1,5})*$',
      description:
        'host:port,host:port,… of a Redis Cluster: every queue then runs on the cluster, each under a hash tag of its own (REDIS_URL is then unused)',
    }),
  ),
  QUEUE_PREFIX: Type.String({
    pattern: '^[A-Za-z0-9_{}-]{1,64}$',
    default: 'gateway',
    description: 'Redis key prefix of every queue and of the worker heartbeats',
  }),
  PORT: Port(8000),
  DASHBOARD_PORT: Port(3000),
  CHECKOUT_PORT: Port(3001),
  RECEIVER_PORT: Port(4000),
  METRICS_PORT: Type.Integer({
    minimum: 0,
    maximum: 65535,
    default: 9464,
    description: 'Port of the metrics-only listener of `gateway worker` (/metrics, /health); 0 disables it',
  }),
  RECEIVER_WEBHOOK_SECRET: Type.String({
    minLength: 1,
    default: 'whsec_test_abc123',
    description: 'Secret the test merchant receiver verifies signatures with',
  }),
  HOST: Type.String({ default: '0.0.0.0' }),
  TRUST_PROXY: Type.Integer({
    minimum: 0,
    maximum: 10,
    default: 0,
    description:
      'Proxy hops in front of the API whose X-Forwarded-For is trusted (rate limits key on the client)',
  }),
  API_PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description:
        'API origin as browsers reach it, used by the hosted checkout page (default http://localhost:$PORT)',
    }),
  ),
  API_INTERNAL_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'API origin as other gateway processes reach it (default http://127.0.0.1:$PORT)',
    }),
  ),
  CHECKOUT_PUBLIC_URL: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description:
        'Checkout origin as browsers reach it, used by the dashboard and docs (default http://localhost:$CHECKOUT_PORT)',
    }),
  ),
  TEST_MODE: Flag(false),
  TEST_PROCESSING_DELAY: Type.Integer({ minimum: 0, maximum: 600_000, default: 1000 }),
  TEST_PAYMENT_SUCCESS: Flag(true),
  WEBHOOK_RETRY_INTERVALS_TEST: Flag(false),
  WEBHOOK_ALLOW_PRIVATE_URLS: Type.Optional(
    Type.Boolean({ description: 'Allow loopback/private webhook targets; defaults to TEST_MODE' }),
  ),
  WEBHOOK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60_000, default: 5000 }),
  WORKER_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
  WEBHOOK_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 2000,
    default: 320,
    description: 'Webhook attempts in flight per worker process',
  }),
  WEBHOOK_ENDPOINT_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 2000,
    default: 32,
    description:
      'Attempts in flight per endpoint per worker process, so a slow endpoint never holds up others',
  }),
  EVENT_RETENTION_DAYS: Type.Integer({
    minimum: 0,
    maximum: 36_500,
    default: 30,
    description: 'Days events are kept (0: for ever); their deliveries stay',
  }),
  REQUEST_LOG: Type.Boolean({
    default: true,
    description:
      'Record every API-key-authenticated request in the request log (off only to measure what it costs)',
  }),
  REQUEST_LOG_RETENTION_DAYS: Type.Integer({
    minimum: 0,
    maximum: 36_500,
    default: 7,
    description: 'Days the request log is kept (0: for ever)',
  }),
  EVENT_STREAM_HEARTBEAT_MS: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    default: 15_000,
    description: 'How often an idle event stream sends a comment, so proxies keep it open',
  }),
  ENDPOINT_DISABLE_AFTER_S: Type.Integer({
    minimum: 1,
    maximum: 365 * 24 * 3600,
    default: 5 * 24 * 3600,
    description: 'An endpoint whose attempts have all failed for this long is disabled',
  }),
  JOB_LOCK_DURATION_MS: Type.Integer({
    minimum: 1000,
    maximum: 600_000,
    default: 4000,
    description:
      'How long a job of a worker that died stays locked; another worker takes it over within 1.5 times this',
  }),
  SWEEP_INTERVAL_MS: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 5000 }),
  DB_POOL_SIZE: Type.Integer({ minimum: 1, maximum: 500, default: 20 }),
  DB_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 600_000, default: 10_000 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  SESSION_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  ADMIN_PASSWORD: Type.Optional(Type.String({ minLength: 8 })),
  METRICS_TOKEN: Type.Optional(
    Type.String({
      minLength: 16,
      description:
        'Bearer token /metrics on the API port asks for; without it /metrics is open in test mode and locked (401) otherwise',
    }),
  ),
  // A client over the failure limit is refused on every authenticated endpoint until its window ends,
  // so the default leaves room for a test suite that probes wrong credentials on every route.
  RATE_LIMIT_AUTH_FAILURES: Type.Integer({
    minimum: 1,
    default: 100,
    description: 'Failed authentications per client per window before it is answered 429',
  }),
  RATE_LIMIT_PUBLIC: Type.Integer({
    minimum: 1,
    default: 100_000,
    description: 'Requests per client per window to the unauthenticated …/public endpoints',
  }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60_000 }),
});

export type Config = Static<typeof ConfigSchema> & {
  WEBHOOK_ALLOW_PRIVATE_URLS: boolean;
  API_PUBLIC_URL: string;
  API_INTERNAL_URL: string;
  CHECKOUT_PUBLIC_URL: string;
  DATABASE_DIRECT_URL: string;
  /**
   * DATABASE_URL reaches PostgreSQL through a transaction pooler (a DATABASE_DIRECT_URL of its own
   * was given): no session state may outlive a transaction there.
   */
  DATABASE_POOLED: boolean;
};

export class ConfigError extends Error {}

/** Parses an environment (process.env by default); throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.keys(ConfigSchema.properties);
  const raw: Record<string, unknown> = {};
  for (const name of known) {
    const value = env[name];
    if (value !== undefined && value !== '') raw[name] = value.trim();
  }
  const withDefaults = Value.Default(ConfigSchema, raw);
  const converted = Value.Convert(ConfigSchema, withDefaults) as Record<string, unknown>;
  const [first] = Value.Errors(ConfigSchema, converted);
  if (first) {
    const name = first.instancePath.split('/')[1] ?? first.instancePath;
    const got = raw[name];
    throw new ConfigError(
      `Invalid configuration: ${name} ${first.message}${got === undefined ? '' : ` (got ${JSON.stringify(got)})`}`,
    );
  }
  const config = converted as Static<typeof ConfigSchema>;
  // The addresses follow the ports, so moving a port never leaves the checkout calling the old one.
  // The internal one is 127.0.0.1 rather than localhost: the servers listen on IPv4 by default
  // (HOST 0.0.0.0), and localhost may resolve to ::1 first.
  return {
    ...config,
    WEBHOOK_ALLOW_PRIVATE_URLS: config.WEBHOOK_ALLOW_PRIVATE_URLS ?? config.TEST_MODE,
    API_PUBLIC_URL: config.API_PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    API_INTERNAL_URL: config.API_INTERNAL_URL ?? `http://127.0.0.1:${config.PORT}`,
    DATABASE_DIRECT_URL: config.DATABASE_DIRECT_URL ?? config.DATABASE_URL,
    DATABASE_POOLED:
      config.DATABASE_DIRECT_URL !== undefined && config.DATABASE_DIRECT_URL !== config.DATABASE_URL,
    CHECKOUT_PUBLIC_URL: config.CHECKOUT_PUBLIC_URL ?? `http://localhost:${config.CHECKOUT_PORT}`,
  };
}
