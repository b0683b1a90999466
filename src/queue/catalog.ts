import type { DefaultJobOptions } from 'bullmq';
import { type Static, type TSchema, Type } from 'typebox';
import { overduePayments } from '../db/payments.js';
import type { Queryable } from '../db/pool.js';
import { overdueRefunds } from '../db/refunds.js';

/**
 * Every job the gateway queues, declared once: its queue, its name, the schema of its payload
 * (checked when a worker takes the job), its deterministic id, its retry policy, and the query by
 * which the sweeper finds rows whose job may have been lost. Payloads carry ids only: the facts live
 * in PostgreSQL, and nothing sensitive (card data, secrets) is ever queued.
 *
 * The handler of each queue is its module in src/workers (bound in src/workers/index.ts), so that
 * what enqueues a job never loads what runs it.
 */
export interface JobDefinition<Payload extends TSchema> {
  /** BullMQ's job name, shown in the queue view. */
  name: string;
  payload: Payload;
  /** Deterministic: the sweeper can re-add a lost job without ever running one twice at once. */
  jobId(payload: Static<Payload>): string;
  options: DefaultJobOptions;
  /** Rows due before `before` whose job may be missing. */
  overdue(db: Queryable, before: Date, limit: number): Promise<Array<Static<Payload>>>;
}

/**
 * Infrastructure failures (database down while recording a result) are retried with a capped
 * exponential backoff for a long time; the sweeper revives a job that still exhausts them.
 */
const RETRIED_FOR_A_LONG_TIME: DefaultJobOptions = {
  attempts: 40,
  backoff: { type: 'capped-exponential' },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function cappedExponentialBackoff(attemptsMade: number): number {
  return Math.min(250 * 2 ** attemptsMade, 30_000);
}

const PaymentJob = Type.Object(
  { paymentId: Type.String({ pattern: '^pay_[A-Za-z0-9]{16}$' }) },
  { additionalProperties: false },
);
const RefundJob = Type.Object(
  { refundId: Type.String({ pattern: '^rfnd_[A-Za-z0-9]{16}$' }) },
  { additionalProperties: false },
);

// BullMQ reserves ':' in custom ids, so the kinds are separated with '-'.
export const JOBS = {
  /** Decide a payment once its simulated bank delay has passed. */
  payments: {
    name: 'process-payment',
    payload: PaymentJob,
    jobId: (job) => `payment-${job.paymentId}`,
    options: RETRIED_FOR_A_LONG_TIME,
    overdue: async (db, before, limit) =>
      (await overduePayments(db, before, limit)).map((paymentId) => ({ paymentId })),
  } satisfies JobDefinition<typeof PaymentJob>,
  /** Mark a refund processed once its simulated delay has passed. */
  refunds: {
    name: 'process-refund',
    payload: RefundJob,
    jobId: (job) => `refund-${job.refundId}`,
    options: RETRIED_FOR_A_LONG_TIME,
    overdue: async (db, before, limit) =>
      (await overdueRefunds(db, before, limit)).map((refundId) => ({ refundId })),
  } satisfies JobDefinition<typeof RefundJob>,
};

export type QueueName = keyof typeof JOBS;
export const QUEUE_NAMES = Object.keys(JOBS) as QueueName[];
export type JobPayloads = { [Q in QueueName]: Static<(typeof JOBS)[Q]['payload']> };
export type PaymentJob = JobPayloads['payments'];
export type RefundJob = JobPayloads['refunds'];

/** The deterministic id of a job of `queue`. */
export const jobIdOf = <Q extends QueueName>(queue: Q, payload: JobPayloads[Q]): string =>
  (JOBS[queue].jobId as (payload: JobPayloads[Q]) => string)(payload);

/** The deterministic job ids, per queue (for tests and the queue view). */
export const jobId = {
  payments: (payload: PaymentJob) => jobIdOf('payments', payload),
  refunds: (payload: RefundJob) => jobIdOf('refunds', payload),
};
