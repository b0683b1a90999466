import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment } from '../support/gateway.js';
import { ProcessGroup, removeEnvironment } from '../support/processes.js';

/** The metrics-only listener of `gateway worker`: what it serves, and what happens without it. */
const processes = new ProcessGroup();
let env: Record<string, string>;

beforeAll(async () => {
  env = await testEnvironment();
});
afterAll(async () => {
  await processes.killAll();
  if (env) await removeEnvironment(env);
});

describe('gateway worker metrics listener', () => {
  it('serves /metrics and /health, and nothing else', async () => {
    const worker = await processes.spawn('worker', { env });
    await worker.waitForLog('metrics listening');
    const metrics = await fetch(worker.metricsUrl);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    for (const name of [
      'gateway_jobs_total',
      'gateway_payment_outcomes_total',
      'process_cpu_user_seconds_total',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    const health = await fetch(`${worker.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'healthy' });
    expect((await fetch(`${worker.url}/admin/queues`)).status).toBe(404);
    expect((await fetch(worker.metricsUrl, { method: 'POST' })).status).toBe(405);
    expect((await worker.stop()).code).toBe(0);
  });

  it('keeps the worker running when the port is taken', async () => {
    const squatter: Server = createServer((_req, res) => res.end('not the gateway'));
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((squatter.address() as AddressInfo).port);
      const worker = await processes.spawn('worker', {
        env: { ...env, METRICS_PORT: port, HOST: '127.0.0.1' },
      });
      const warning = await worker.waitForLog('metrics listener not started (set METRICS_PORT)');
      expect(warning.port).toBe(Number(port));
      expect(worker.running).toBe(true);
      expect((await worker.stop()).code).toBe(0);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('is off with METRICS_PORT=0', async () => {
    const worker = await processes.spawn('worker', { env: { ...env, METRICS_PORT: '0' } });
    expect((await worker.stop()).code).toBe(0);
    expect(worker.logs().some((line) => String(line.msg).startsWith('metrics listen'))).toBe(false);
  });
});
