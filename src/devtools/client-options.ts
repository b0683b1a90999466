import { type ParseArgsConfig, parseArgs } from 'node:util';
import { createGatewayClient, DEFAULT_API_URL, type GatewayClient } from '../client/index.js';
import { TEST_MERCHANT } from '../db/seed.js';

/**
 * Options every developer command shares: where the API is and whose credentials to use. Without
 * any, the commands use the public test merchant's, which authenticate only in test mode.
 */
export const CONNECTION_OPTIONS = {
  'api-url': { type: 'string' },
  'api-key': { type: 'string' },
  'api-secret': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

export const CONNECTION_USAGE = `  --api-url <url>      the API (default $GATEWAY_API_URL or ${DEFAULT_API_URL})
  --api-key <key>      API key (default $GATEWAY_API_KEY, else the test merchant's)
  --api-secret <secret>  API secret (default $GATEWAY_API_SECRET, else the test merchant's)`;

export interface Connection {
  apiUrl: string;
  apiKey: string;
  apiSecret: string;
  client: GatewayClient;
}

export function connectionOf(
  values: { 'api-url'?: string; 'api-key'?: string; 'api-secret'?: string },
  env: NodeJS.ProcessEnv,
): Connection {
  const apiUrl = values['api-url'] ?? env.GATEWAY_API_URL ?? DEFAULT_API_URL;
  if (!/^https?:\/\/[^/]/.test(apiUrl))
    throw new UsageError(`--api-url must be an http(s) URL, got ${apiUrl}`);
  const apiKey = values['api-key'] ?? env.GATEWAY_API_KEY ?? TEST_MERCHANT.api_key;
  const apiSecret = values['api-secret'] ?? env.GATEWAY_API_SECRET ?? TEST_MERCHANT.api_secret;
  return { apiUrl, apiKey, apiSecret, client: createGatewayClient({ apiUrl, apiKey, apiSecret }) };
}

/** Bad arguments: the command prints its usage and exits 2. */
export class UsageError extends Error {}

/** parseArgs, with its errors turned into usage errors. */
export function parseCommandArgs<T extends ParseArgsConfig['options']>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `2026-12-01 10:00:00` in local time, as each output line starts. */
export function wallClock(date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The API's error description, or the status, for a message. */
export function describeFailure(status: number, error: unknown): string {
  const description = (error as { error?: { description?: string } } | undefined)?.error?.description;
  return description ? `${status} ${description}` : `HTTP ${status}`;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
