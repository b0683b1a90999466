import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { observeDelivery } from '../metrics/webhooks.js';
import { BlockedAddressError, guardedLookup, isBlockedAddress } from './ssrf.js';

export const RESPONSE_BODY_LIMIT = 2048;

export type DeliveryResult =
  | { ok: boolean; status: number; body: string; retryAfter: string | undefined; durationMs: number }
  | { ok: false; status: null; error: string; durationMs: number };

/**
 * POSTs webhook bodies. One undici Agent keeps a keep-alive pool per merchant endpoint. Redirects are
 * never followed (a 3xx is a failed attempt), the whole attempt is bounded by the timeout, at most
 * RESPONSE_BODY_LIMIT bytes of the answer are read, and, unless private targets are allowed, every
 * connection goes through the SSRF guard.
 */
export class WebhookHttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly timeoutMs: number,
    private readonly allowPrivate: boolean,
    /**
     * Sockets per origin: as many as the attempts a worker keeps in flight in all, since endpoints
     * can share an origin, and one that hangs must not leave the others waiting for a socket.
     */
    connectionsPerOrigin: number,
  ) {
    this.agent = new Agent({
      connect: { timeout: timeoutMs, ...(allowPrivate ? {} : { lookup: guardedLookup }) },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      keepAliveTimeout: 30_000,
      connections: connectionsPerOrigin,
    });
  }

  async post(url: string, headers: Record<string, string>, body: string): Promise<DeliveryResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      if (!this.allowPrivate) assertLiteralHostAllowed(url);
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      const text = await readLimited(response.body, RESPONSE_BODY_LIMIT);
      const status = response.statusCode;
      const ok = status >= 200 && status < 300;
      const durationMs = elapsed();
      observeDelivery(ok ? 'success' : 'http_error', durationMs);
      const retryAfter = response.headers['retry-after'];
      return {
        ok,
        status,
        body: text,
        retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
        durationMs,
      };
    } catch (err) {
      const error = describeError(err, this.timeoutMs);
      const durationMs = elapsed();
      observeDelivery(error.startsWith('timed out') ? 'timeout' : 'network_error', durationMs);
      return { ok: false, status: null, error, durationMs };
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function assertLiteralHostAllowed(url: string): void {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isBlockedAddress(host)) throw new BlockedAddressError(`refused to connect to ${host}`);
}

async function readLimited(
  body: AsyncIterable<Buffer> & { destroy(): void },
  limit: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy(); // a huge answer is not read to the end
      break;
    }
  }
  // PostgreSQL text cannot hold NUL: a merchant's answer is stored without them.
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8').replaceAll('\u0000', '');
}

function describeError(err: unknown, timeoutMs: number): string {
  const error = err as Error & { code?: string; cause?: { code?: string; message?: string } };
  if (error.name === 'TimeoutError' || error.name === 'AbortError' || /timeout/i.test(error.code ?? '')) {
    return `timed out after ${timeoutMs} ms`;
  }
  if (err instanceof BlockedAddressError || error.cause instanceof BlockedAddressError) {
    return `blocked: ${(error.cause as Error | undefined)?.message ?? error.message}`;
  }
  const code = error.code ?? error.cause?.code;
  return code ? `${code}: ${error.message}` : error.message;
}
