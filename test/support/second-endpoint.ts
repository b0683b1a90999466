import type { ApiResponse, RequestOptions } from './gateway.js';
import type { WebhookSink } from './webhook-sink.js';

/**
 * A second endpoint beside the merchant's webhook URL, selecting every event, on the same sink
 * (its deliveries come in under their own ids and secret): fault runs then prove fan-out too.
 */
export async function addSecondEndpoint(
  request: (method: string, path: string, options?: RequestOptions) => Promise<ApiResponse>,
  sink: WebhookSink,
): Promise<void> {
  const res = await request('POST', '/api/v1/webhook_endpoints', {
    body: { url: `${sink.url}/second`, description: 'Second endpoint of the fault run' },
  });
  if (res.status !== 201) throw new Error(`second endpoint refused: ${res.status} ${res.text}`);
}
