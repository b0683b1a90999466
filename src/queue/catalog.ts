import type { DefaultJobOptions } from 'bullmq';

/**
 * Every job the gateway runs, declared once. Payloads carry ids only: the facts live in PostgreSQL,
 * and nothing sensitive (card data, secrets) is ever queued. Job ids are deterministic, so the
 * sweeper can re-add a job that Redis lost without ever running one twice at the same time.
 */
export const QUEUE_NAMES = ['payments', 'refunds', 'webhooks'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface PaymentJob {
  paymentId: string;
}
export interface RefundJob {
  refundId: string;
}
export interface WebhookJob {
  logId: string;
  generation: number;
  attempt: number;
}

export interface JobPayloads {
  payments: PaymentJob;
  refunds: RefundJob;
  webhooks: WebhookJob;
}

export const JOB_NAMES: Record<QueueName, string> = {
  payments: 'process-payment',
  refunds: 'process-refund',
  webhooks: 'deliver-webhook',
};

// BullMQ reserves ':' in custom ids, so the kinds are separated with '-'.
export const jobId = {
  payments: (job: PaymentJob) => `payment-${job.paymentId}`,
  refunds: (job: RefundJob) => `refund-${job.refundId}`,
  webhooks: (job: WebhookJob) => `webhook-${job.logId}-${job.generation}-${job.attempt}`,
} satisfies { [Q in QueueName]: (job: JobPayloads[Q]) => string };

/**
 * Infrastructure failures (database down while recording a result) are retried with a capped
 * exponential backoff for a long time; the sweeper revives a job that still exhausts them.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 40,
  backoff: { type: 'capped-exponential' },
  removeOnComplete: { age: 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

export function cappedExponentialBackoff(attemptsMade: number): number {
  return Math.min(250 * 2 ** attemptsMade, 30_000);
}
