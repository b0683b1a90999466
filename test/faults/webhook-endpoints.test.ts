import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment, waitFor } from '../support/gateway.js';
import { sleep } from '../support/load.js';
import { createMerchant } from '../support/merchants.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { type SinkBehaviour, WebhookSink } from '../support/webhook-sink.js';

/**
 * Merchant endpoints misbehaving against real API and worker processes, on the test-mode schedule
 * (+5, +10, +15, +20 s): endpoints that flap, answer slowly but in time, answer only after the 5 s
 * timeout, redirect to internal addresses, or answer with huge bodies. Every attempt must be
 * recorded as what it was, retries must keep to the schedule, and a redirect is never followed.
 * (Hangs, resets and error bodies per attempt are covered in-process by
 * test/integration/webhook-retries.test.ts.)
 */
const SCHEDULE_MS = [5000, 10_000, 15_000, 20_000];
// Upper bound on "late" for an attempt: a hang guard for a loaded machine, not a benchmark.
const LATENESS_GUARD_MS = 8000;

let gw: ProcessGateway;
const sinks: WebhookSink[] = [];

beforeAll(async () => {
  gw = await ProcessGateway.start({ env: await testEnvironment({ WEBHOOK_TIMEOUT_MS: '5000' }), workers: 1 });
});
afterAll(async () => {
  await gw?.close();
  await Promise.all(sinks.map((sink) => sink.close()));
});

interface Answer {
  id: string;
  attempt: number;
  answered: number | 'reset' | 'hang';
}

/** A sink that also remembers what it answered to each (delivery, attempt). */
async function recordingSink(behaviour: SinkBehaviour) {
  const answers: Answer[] = [];
  const sink = await WebhookSink.start((index, request) => {
    const action = behaviour(index, request);
    answers.push({
      id: String(request.headers['x-webhook-id']),
      attempt: Number(request.headers['x-webhook-attempt']),
      answered: typeof action === 'string' ? action : action.status,
    });
    return action;
  });
  sinks.push(sink);
  return { sink, answers };
}

async function merchantPointingAt(url: string) {
  const merchant = await createMerchant(gw.db, 'Endpoint Owner');
  const auth = { key: merchant.key, secret: merchant.secret };
  const saved = await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: url }, auth });
  expect(saved.status).toBe(200);
  return auth;
}

async function sendTestEvent(auth: { key: string; secret: string }): Promise<string> {
  const queued = await gw.request('POST', '/api/v1/merchant/webhook/test', { auth });
  expect(queued.status).toBe(202);
  return queued.body.id;
}

async function finalState(auth: { key: string; secret: string }, id: string, timeoutMs: number) {
  return waitFor(
    async () => {
      const detail = await gw.request('GET', `/api/v1/webhooks/${id}`, { auth });
      return detail.body.status !== 'pending' && detail.body;
    },
    timeoutMs,
    250,
  );
}

/** Attempt n + 1 came no sooner than the schedule says after attempt n, and not absurdly later. */
function expectScheduleKept(arrivals: number[]) {
  arrivals.slice(1).forEach((at, i) => {
    const gap = at - (arrivals[i] as number);
    expect(gap).toBeGreaterThanOrEqual((SCHEDULE_MS[i] as number) - 50);
    expect(gap).toBeLessThan((SCHEDULE_MS[i] as number) + LATENESS_GUARD_MS);
  });
}

describe.concurrent('misbehaving merchant endpoints (real processes)', () => {
  it('flapping: every attempt is recorded as answered, the schedule holds, each event ends delivered', {
    timeout: 120_000,
  }, async () => {
    // Down (503 or a reset connection) and up (200) in turns of 4 s, whatever is being delivered.
    const started = Date.now();
    const { sink, answers } = await recordingSink((index) => {
      const up = Math.floor((Date.now() - started) / 4000) % 2 === 1;
      if (up) return { status: 200 };
      return index % 2 === 0 ? { status: 503, body: 'down for maintenance' } : 'reset';
    });
    const auth = await merchantPointingAt(sink.url);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(await sendTestEvent(auth));
      await sleep(700);
    }

    for (const id of ids) {
      const final = await finalState(auth, id, 90_000);
      const mine = answers.filter((a) => a.id === id);
      expect(final.status).toBe('success');
      expect(final.attempts).toBe(mine.length);
      expect(mine.map((a) => a.attempt)).toEqual(mine.map((_, i) => i + 1));
      // The log tells the same story as the endpoint: each attempt's status, or no status for a reset.
      expect(final.attempt_history.map((a: { response_code: number | null }) => a.response_code)).toEqual(
        mine.map((a) => (a.answered === 'reset' ? null : a.answered)),
      );
      expectScheduleKept(sink.requests.filter((r) => r.headers['x-webhook-id'] === id).map((r) => r.at));
    }
    expect(answers.some((a) => a.answered !== 200)).toBe(true);
  });

  it('slow but in time (3.5 s of 5): one successful attempt, its duration recorded', {
    timeout: 60_000,
  }, async () => {
    const { sink } = await recordingSink(() => ({ status: 200, delayMs: 3500 }));
    const auth = await merchantPointingAt(sink.url);
    const final = await finalState(auth, await sendTestEvent(auth), 30_000);
    expect(final).toMatchObject({ status: 'success', attempts: 1, response_code: 200 });
    expect(final.attempt_history[0].duration_ms).toBeGreaterThanOrEqual(3400);
    expect(sink.requests).toHaveLength(1);
  });

  it('answers 200 only after the 5 s timeout: a failed attempt, retried on schedule', {
    timeout: 60_000,
  }, async () => {
    const { sink } = await recordingSink((index) => ({ status: 200, delayMs: index === 0 ? 6500 : 0 }));
    const auth = await merchantPointingAt(sink.url);
    const final = await finalState(auth, await sendTestEvent(auth), 40_000);
    expect(final).toMatchObject({ status: 'success', attempts: 2, response_code: 200 });
    expect(final.attempt_history[0]).toMatchObject({ attempt: 1, response_code: null });
    expect(final.attempt_history[0].error).toMatch(/timed out after 5000 ms/);
    // The late 200 of the first attempt changed nothing; the second attempt came on schedule.
    expect(sink.requests.map((r) => r.headers['x-webhook-attempt'])).toEqual(['1', '2']);
    expect(sink.requests[1]!.at - sink.requests[0]!.at).toBeGreaterThanOrEqual(5000 + SCHEDULE_MS[0]! - 250); // arrival times, not send times
  });

  it.each([
    [302, 'http://127.0.0.1:{trap}/steal'],
    [307, 'http://169.254.169.254/latest/meta-data/'],
    [308, 'http://[::1]:{trap}/'],
  ])('a %i redirect to %s is recorded and never followed', { timeout: 60_000 }, async (status, target) => {
    const { sink: trap } = await recordingSink(() => ({ status: 200 }));
    const location = target.replace('{trap}', String(trap.port));
    const { sink } = await recordingSink((index) =>
      index === 0 ? { status, headers: { Location: location } } : { status: 200 },
    );
    const auth = await merchantPointingAt(sink.url);
    const final = await finalState(auth, await sendTestEvent(auth), 40_000);
    expect(final).toMatchObject({ status: 'success', attempts: 2 });
    expect(final.attempt_history[0]).toMatchObject({ attempt: 1, response_code: status });
    expect(trap.requests).toHaveLength(0);
    expect(sink.requests).toHaveLength(2);
  });

  it('a 10 MB answer is cut off: the attempt is recorded with a truncated body', {
    timeout: 60_000,
  }, async () => {
    const huge = 'x'.repeat(10_000_000);
    const { sink } = await recordingSink(() => ({ status: 200, body: huge }));
    const auth = await merchantPointingAt(sink.url);
    const final = await finalState(auth, await sendTestEvent(auth), 30_000);
    expect(final).toMatchObject({ status: 'success', attempts: 1, response_code: 200 });
    expect(final.response_body.length).toBeLessThanOrEqual(1024);
    expect(gw.workers.every((w) => w.running)).toBe(true);
  });
});
