import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * The process's one metrics registry. Every series is a module-level singleton registered here, so
 * `gateway start` (API and workers in one process) exposes everything on one /metrics, and a
 * separate `gateway worker` exposes its own on its metrics listener. Prometheus tells processes
 * apart by their scrape target (instance label).
 */
export const registry = new Registry();

let processMetricsEnabled = false;

/** CPU, memory, event-loop lag and GC of this process; called once by whatever serves /metrics. */
export function enableProcessMetrics(): void {
  if (processMetricsEnabled) return;
  processMetricsEnabled = true;
  collectDefaultMetrics({ register: registry });
}

export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
