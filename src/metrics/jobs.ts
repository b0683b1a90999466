import type { Job, Worker } from 'bullmq';
import { Counter, Histogram } from 'prom-client';
import { registry } from './registry.js';

/**
 * outcome: `completed`; `failed` (an attempt threw: BullMQ retries it while attempts remain);
 * `stalled` (its worker lost the lock, e.g. it died, and the job went back to the queue).
 */
export const jobRuns = new Counter({
  name: 'gateway_jobs_total',
  help: 'Job runs finished by this process, by queue and outcome (completed, failed, stalled)',
  labelNames: ['queue', 'outcome'] as const,
  registers: [registry],
});

export const jobDuration = new Histogram({
  name: 'gateway_job_duration_seconds',
  help: 'Processing time of a job run, by queue and outcome',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const paymentOutcomes = new Counter({
  name: 'gateway_payment_outcomes_total',
  help: 'Payments decided by this process, by outcome (success, failed); each payment is decided once',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** What the payment processor returns when it decided a payment (anything else: nothing decided). */
const PAYMENT_DECISIONS = new Set(['success', 'failed']);

function observeRun(queue: string, outcome: string, job: Job | undefined): void {
  jobRuns.inc({ queue, outcome });
  if (job?.processedOn && job.finishedOn) {
    jobDuration.observe({ queue, outcome }, (job.finishedOn - job.processedOn) / 1000);
  }
}

/** Counts a worker's job runs from its events, so no processor needs to know about metrics. */
export function observeJobs(worker: Worker, queue: string): void {
  worker.on('completed', (job: Job, result: unknown) => {
    observeRun(queue, 'completed', job);
    if (queue === 'payments' && typeof result === 'string' && PAYMENT_DECISIONS.has(result)) {
      paymentOutcomes.inc({ outcome: result });
    }
  });
  worker.on('failed', (job: Job | undefined) => observeRun(queue, 'failed', job));
  worker.on('stalled', () => jobRuns.inc({ queue, outcome: 'stalled' }));
}
