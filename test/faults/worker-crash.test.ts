import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEnvironment, waitFor } from '../support/gateway.js';
import { findViolations, summarise, waitUntilSettled } from '../support/invariants.js';
import { PaymentLoad, sleep } from '../support/load.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { stalledJobCounts } from '../support/queue-inspection.js';
import { addSecondEndpoint } from '../support/second-endpoint.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * `kill -9` of worker processes in the middle of payment, refund and webhook jobs, over and over,
 * while merchants keep paying and refunding. Afterwards every payment must be decided exactly once,
 * every refund processed once, every event delivered at least once under its stable X-Webhook-Id,
 * and nothing left stuck.
 */
const KILL_ROUNDS = 9;

let gw: ProcessGateway;
let sink: WebhookSink;
// The sink holds each delivery for a while, so a kill can land while one is in flight.
let holdingUntil = 0;

beforeAll(async () => {
  sink = await WebhookSink.start((index) => {
    const delayMs = 150 + ((index * 97) % 450);
    holdingUntil = Math.max(holdingUntil, Date.now() + delayMs);
    return { status: 200, delayMs };
  });
  const env = await testEnvironment({
    // A dead worker's job is taken over after at most two lock periods.
    JOB_LOCK_DURATION_MS: '3000',
    // Payments and refunds wait a little as delayed jobs, so many become due while workers die.
    TEST_PROCESSING_DELAY: '700',
    // A delivery cut off by a kill keeps its lease for WEBHOOK_TIMEOUT_MS + 10 s.
    WEBHOOK_TIMEOUT_MS: '2000',
    SWEEP_INTERVAL_MS: '1000',
  });
  gw = await ProcessGateway.start({ env, workers: 2 });
  const configured = await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: sink.url } });
  expect(configured.status).toBe(200);
  await addSecondEndpoint((method, path, options) => gw.request(method, path, options), sink);
});

afterAll(async () => {
  await gw?.close();
  await sink?.close();
});

type Trigger = 'delivery in flight' | 'payment job running' | 'refund job running';

/**
 * Waits (up to 3 s) for a moment when a job of the given kind is running: the merchant endpoint is
 * holding a delivery, or BullMQ lists a payment or refund job as active.
 */
async function waitForMoment(trigger: Trigger, redis: Redis): Promise<boolean> {
  const deadline = Date.now() + 3000;
  const activeList = `${gw.env.QUEUE_PREFIX}:${trigger === 'payment job running' ? 'payments' : 'refunds'}:active`;
  while (Date.now() < deadline) {
    if (trigger === 'delivery in flight') {
      if (Date.now() < holdingUntil - 50) return true;
      await sleep(20);
    } else if ((await redis.llen(activeList)) > 0) {
      return true;
    }
  }
  return false;
}

interface KillRecord {
  trigger: Trigger;
  onCue: boolean;
  killed: number;
}

async function killRepeatedly(rounds: number): Promise<KillRecord[]> {
  const triggers: Trigger[] = ['delivery in flight', 'payment job running', 'refund job running'];
  const record: KillRecord[] = [];
  const redis = new Redis(gw.env.REDIS_URL as string);
  for (let round = 0; round < rounds; round++) {
    const trigger = triggers[round % triggers.length] as Trigger;
    const onCue = await waitForMoment(trigger, redis);
    // While a delivery is held, every worker dies: whichever one sent it is certainly among them.
    const killAll = trigger === 'delivery in flight' || round % 4 === 3;
    let killed = 0;
    if (killAll) {
      while (gw.workers.some((w) => w.running)) {
        await gw.killWorker();
        killed += 1;
      }
      await sleep(1000);
      await Promise.all([gw.startWorker(), gw.startWorker()]);
    } else {
      await gw.killWorker(round);
      killed = 1;
      await sleep(300 + ((round * 311) % 900));
      await gw.startWorker();
    }
    record.push({ trigger, onCue, killed });
    await sleep(700);
  }
  redis.disconnect();
  return record;
}

describe('worker killed with SIGKILL mid-job, repeatedly, under load', () => {
  it('decides every payment once, processes every refund once, delivers every event', {
    timeout: 240_000,
  }, async () => {
    const load = new PaymentLoad({ url: gw.url, concurrency: 5 }).start();
    await sleep(1500);
    const kills = await killRepeatedly(KILL_ROUNDS);
    await load.stop();

    await waitUntilSettled(gw.db, 120_000);
    const jobs = await waitFor(async () => {
      const status = await gw.request('GET', '/api/v1/test/jobs/status');
      return status.body.pending === 0 && status.body.processing === 0 && status.body;
    }, 60_000);
    const summary = await summarise(gw.db, sink);
    const stalled = await stalledJobCounts(gw.env);
    console.info('[faults] worker kill -9:', JSON.stringify({ kills, summary, stalled, jobs }));

    expect(await findViolations({ db: gw.db, load, sink })).toEqual([]);
    expect(load.unexpected).toEqual([]);
    expect(load.hangs).toEqual([]);
    expect(jobs.failed).toBe(0);
    expect(gw.api.running).toBe(true);
    // The run was real: traffic throughout, kills on cue, and deliveries cut off mid-flight.
    expect(summary.payments).toBeGreaterThanOrEqual(20);
    expect(summary.refunds).toBeGreaterThanOrEqual(10);
    expect(kills.filter((k) => k.trigger === 'delivery in flight').every((k) => k.onCue)).toBe(true);
    expect(summary.repeatedAttempts).toBeGreaterThanOrEqual(1);
  });
});
