import { failingSinceByEndpoint } from '../db/endpoint-health.js';
import type { Runtime } from '../runtime.js';

/** Endpoint id → ISO time since which its deliveries have all failed (failing endpoints only). */
export async function endpointsFailingSince(
  runtime: Runtime,
  merchantId: string,
): Promise<Map<string, string>> {
  const since = await failingSinceByEndpoint(runtime.db, merchantId);
  return new Map([...since].map(([id, at]) => [id, at.toISOString()]));
}
