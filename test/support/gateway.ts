import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApi } from '../../src/api/app.js';
import type { Clock } from '../../src/clock.js';
import { type Config, loadConfig } from '../../src/config.js';
import { TEST_MERCHANT } from '../../src/db/seed.js';
import type { Random } from '../../src/domain/simulation.js';
import { createLogger } from '../../src/logger.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { type RunningWorkers, startWorkers, type WorkerOptions } from '../../src/workers/index.js';
import { cloneTemplate, dropDatabase } from './databases.js';

export const TEST_AUTH = {
  'X-Api-Key': TEST_MERCHANT.api_key,
  'X-Api-Secret': TEST_MERCHANT.api_secret,
} as const;

/** A fresh database and Redis prefix for one test file, with test-mode defaults. */
export async function testEnvironment(env: Record<string, string> = {}): Promise<Record<string, string>> {
  const databaseUrl = await cloneTemplate(inject('runId'), inject('templateDatabase'));
  return {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `gwtest-${randomBytes(5).toString('hex')}`,
    TEST_MODE: 'true',
    TEST_PROCESSING_DELAY: '0',
    WEBHOOK_RETRY_INTERVALS_TEST: 'true',
    LOG_LEVEL: 'silent',
    SWEEP_INTERVAL_MS: '1000',
    ...env,
  };
}

/** Collects every log line a runtime writes, to prove what never appears in them. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.lines.push(chunk.toString());
    done();
  }
  get text() {
    return this.lines.join('');
  }
}

export interface TestGateway {
  url: string;
  config: Config;
  env: Record<string, string>;
  runtime: Runtime;
  app: FastifyInstance;
  workers: RunningWorkers | undefined;
  logs: LogCapture;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  startWorkers(options?: WorkerOptions): RunningWorkers;
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  auth?: boolean | { key: string; secret: string };
  /** A request that takes longer fails the test: the API must never hang. */
  timeoutMs?: number;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
  body: any;
}

export interface GatewayOptions {
  env?: Record<string, string>;
  workers?: boolean | WorkerOptions;
  clock?: Clock;
  random?: Random;
  logLevel?: string;
}

/** A real API on a random port over real PostgreSQL and Redis, optionally with workers in-process. */
export async function startTestGateway(options: GatewayOptions = {}): Promise<TestGateway> {
  const env = await testEnvironment(options.env);
  const config = loadConfig(env);
  const logs = new LogCapture();
  const log = createLogger(options.logLevel ?? 'info', 'test', logs);
  const runtime = createRuntime(config, 'test', { clock: options.clock, random: options.random, log });
  const app = await buildApi(runtime);
  await app.listen({ port: 0, host: '127.0.0.1' });
  // Until its Redis connections are ready the API fails open on its limits: tests start from a ready
  // connection, unless their Redis is meant to be away (then this gives up after a moment).
  await waitFor(() => runtime.redis.status === 'ready' && runtime.counters.status === 'ready', 3000).catch(
    () => undefined,
  );
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  let workers: RunningWorkers | undefined;

  const gateway: TestGateway = {
    url,
    config,
    env,
    runtime,
    app,
    logs,
    get workers() {
      return workers;
    },
    request: (method, path, requestOptions) => request(url, method, path, requestOptions),
    startWorkers(workerOptions) {
      workers = startWorkers(runtime, workerOptions);
      return workers;
    },
    async stopWorkers() {
      await workers?.close();
      workers = undefined;
    },
    async close() {
      await workers?.close();
      await app.close();
      await runtime.jobs.settle();
      await Promise.all(
        Object.values(runtime.jobs.queues).map((queue) =>
          queue.obliterate({ force: true }).catch(() => undefined),
        ),
      );
      await runtime.redis.del(`${config.QUEUE_PREFIX}:workers`).catch(() => undefined);
      await runtime.close();
      await dropDatabase(config.DATABASE_URL);
    },
  };
  if (options.workers) gateway.startWorkers(options.workers === true ? {} : options.workers);
  return gateway;
}

export async function request(
  base: string,
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth !== false) {
    const auth =
      typeof options.auth === 'object'
        ? options.auth
        : { key: TEST_AUTH['X-Api-Key'], secret: TEST_AUTH['X-Api-Secret'] };
    if (options.auth !== undefined || !path.includes('/public')) {
      headers['X-Api-Key'] ??= auth.key;
      headers['X-Api-Secret'] ??= auth.secret;
    }
  }
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
  }
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const response = await fetch(base + path, { method, headers, body, signal });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** Polls until `check` returns a truthy value, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T> | T,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}

export async function createOrder(gw: TestGateway, amount = 50_000, auth?: RequestOptions['auth']) {
  const response = await gw.request('POST', '/api/v1/orders', { body: { amount }, auth });
  if (response.status !== 201) throw new Error(`order creation failed: ${response.status} ${response.text}`);
  return response.body as { id: string; amount: number };
}

/** A UPI payment on a fresh order, once the worker has decided it as a success; returns its id. */
export async function successfulPayment(gw: TestGateway, amount = 10_000, auth?: RequestOptions['auth']) {
  const order = await createOrder(gw, amount, auth);
  const created = await gw.request('POST', '/api/v1/payments', {
    body: { order_id: order.id, method: 'upi', vpa: 'user@paytm' },
    auth,
  });
  if (created.status !== 201) throw new Error(`payment creation failed: ${created.status} ${created.text}`);
  await waitFor(
    async () =>
      (await gw.request('GET', `/api/v1/payments/${created.body.id}`, { auth })).body.status === 'success',
  );
  return created.body.id as string;
}

export const VALID_CARD = {
  number: '4111 1111 1111 1111',
  expiry_month: '12',
  expiry_year: '2030',
  cvv: '123',
  holder_name: 'Test User',
};
