import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { AUTH } from './traffic.js';

/** Connections of every closed-loop API load (autocannon), as in the published figures. */
export const CONNECTIONS = 64;

export interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  /** A body per request (each payment pays its own order, as in real traffic). */
  nextBody?: () => string;
  uniqueIdempotencyKey?: boolean;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `CONNECTIONS` connections for `seconds` against the API processes at `urls`. */
export async function load(urls: string[], scenario: Scenario, seconds: number): Promise<LoadResult> {
  // With several API processes, connections are spread over them like a round-robin balancer would.
  const runs = urls.map((url) =>
    autocannon({
      url: url + scenario.path,
      connections: Math.ceil(CONNECTIONS / urls.length),
      duration: seconds,
      method: scenario.method,
      headers: AUTH,
      body: scenario.body,
      requests:
        scenario.uniqueIdempotencyKey || scenario.nextBody
          ? [
              {
                setupRequest: (request: autocannon.Request) => ({
                  ...request,
                  body: scenario.nextBody ? scenario.nextBody() : request.body,
                  headers: scenario.uniqueIdempotencyKey
                    ? { ...request.headers, 'Idempotency-Key': randomUUID() }
                    : request.headers,
                }),
              },
            ]
          : undefined,
    }),
  );
  const results = await Promise.all(runs);
  const total = (pick: (r: autocannon.Result) => number) => results.reduce((sum, r) => sum + pick(r), 0);
  return {
    rps: total((r) => r.requests.total) / seconds,
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors: total((r) => r.errors + r.timeouts + r.non2xx),
  };
}

export const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

/** A POST as set-up (not measured), failing loudly. */
export async function post(url: string, path: string, body: unknown): Promise<{ id: string }> {
  const res = await fetch(url + path, { method: 'POST', headers: AUTH, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}
