/**
 * The gateway's typed HTTP client (`payment-gateway/client`): openapi-fetch over the types generated
 * from the OpenAPI document the API serves, plus a reader for the event stream.
 *
 *   const gateway = createGatewayClient({ apiKey, apiSecret });
 *   const { data, error } = await gateway.POST('/api/v1/orders', { body: { amount: 50000 } });
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-types.js';

export type { components, paths } from './api-types.js';
export {
  type EventStreamOptions,
  EventStreamRefused,
  readEventStream,
  type StreamedEvent,
} from './event-stream.js';

export const DEFAULT_API_URL = 'http://localhost:8000';

export interface GatewayClientOptions {
  /** Default http://localhost:8000. */
  apiUrl?: string;
  apiKey: string;
  apiSecret: string;
  /** Per request; a request that takes longer fails. Default 30 s. */
  timeoutMs?: number;
}

export type GatewayClient = Client<paths>;

/** The credentials as request headers (for calls outside the typed client, such as the stream). */
export function authHeaders(
  options: Pick<GatewayClientOptions, 'apiKey' | 'apiSecret'>,
): Record<string, string> {
  return { 'X-Api-Key': options.apiKey, 'X-Api-Secret': options.apiSecret };
}

export function createGatewayClient(options: GatewayClientOptions): GatewayClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return createClient<paths>({
    baseUrl: (options.apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, ''),
    headers: authHeaders(options),
    fetch: (request: Request) => fetch(request, { signal: AbortSignal.timeout(timeoutMs) }),
  });
}
