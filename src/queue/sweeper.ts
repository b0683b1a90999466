import type { Queue } from 'bullmq';
import { purgeEvents } from '../db/events.js';
import { deleteExpiredKeys } from '../db/idempotency.js';
import { refreshPlannerStatistics } from '../db/planner-statistics.js';
import { purgeRequestLogs } from '../db/request-logs.js';
import type { Runtime } from '../runtime.js';
import { disableFailingEndpoints } from '../services/webhook-endpoints.js';
import { JOBS, type JobPayloads, jobIdOf, QUEUE_NAMES, type QueueName } from './catalog.js';

const BATCH = 500;
const PARALLEL_LOOKUPS = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SweepReport {
  revived: number;
}

/**
 * The database says what is due; the sweeper makes sure a job exists for it (webhook deliveries need
 * none: the dispatcher reads them from the database itself). It also does the housekeeping: expired
 * idempotency keys, events and request log entries past their retention, endpoints that have failed
 * for too long, and fresh planner statistics for tables that have grown. A job Redis lost (a
 * failed enqueue, a restart without persistence, FLUSHALL) is added again, and one that exhausted its
 * retries is retried. Deterministic job ids make a job that still exists untouched, so sweeping is
 * always safe, from any number of workers at once.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly sources: Array<() => Promise<number>> = [];

  constructor(
    private readonly runtime: Runtime,
    private readonly queues: { [Q in QueueName]: Queue },
  ) {
    for (const queue of QUEUE_NAMES) {
      this.register(
        queue,
        (before) => JOBS[queue].overdue(runtime.db, before, BATCH) as Promise<JobPayloads[typeof queue][]>,
      );
    }
  }

  /** Adds a source of overdue work: rows due before `before` whose job may be missing. */
  register<Q extends QueueName>(queue: Q, overdue: (before: Date) => Promise<JobPayloads[Q][]>): void {
    this.sources.push(async () => {
      const before = new Date(this.runtime.clock.now().getTime() - this.runtime.config.SWEEP_INTERVAL_MS);
      return this.ensureJobs(queue, await overdue(before));
    });
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.sweepOnce()
        .catch((err: Error) => this.runtime.log.warn({ err: err.message }, 'sweep failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.runtime.config.SWEEP_INTERVAL_MS);
        });
    };
    this.timer = setTimeout(tick, Math.min(1000, this.runtime.config.SWEEP_INTERVAL_MS));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async sweepOnce(): Promise<SweepReport> {
    let revived = 0;
    for (const source of this.sources) revived += await source();
    const now = this.runtime.clock.now();
    await deleteExpiredKeys(this.runtime.db, now, 1000);
    const days = this.runtime.config.EVENT_RETENTION_DAYS;
    if (days > 0) await purgeEvents(this.runtime.db, new Date(now.getTime() - days * DAY_MS), 1000);
    const logDays = this.runtime.config.REQUEST_LOG_RETENTION_DAYS;
    if (logDays > 0)
      await purgeRequestLogs(this.runtime.db, new Date(now.getTime() - logDays * DAY_MS), 5000);
    await disableFailingEndpoints(this.runtime);
    const analysed = await refreshPlannerStatistics(this.runtime.db);
    if (analysed.length > 0) this.runtime.log.debug({ tables: analysed }, 'refreshed planner statistics');
    if (revived > 0) this.runtime.log.info({ revived }, 'sweeper re-enqueued overdue work');
    return { revived };
  }

  private async ensureJobs<Q extends QueueName>(queue: Q, items: JobPayloads[Q][]): Promise<number> {
    let revived = 0;
    for (let i = 0; i < items.length; i += PARALLEL_LOOKUPS) {
      const chunk = items.slice(i, i + PARALLEL_LOOKUPS);
      const results = await Promise.all(chunk.map((data) => this.ensureJob(queue, data)));
      revived += results.filter(Boolean).length;
    }
    return revived;
  }

  private async ensureJob<Q extends QueueName>(queue: Q, data: JobPayloads[Q]): Promise<boolean> {
    const id = jobIdOf(queue, data);
    const target = this.queues[queue];
    const state = await target.getJobState(id);
    if (state === 'failed') {
      await (await target.getJob(id))?.retry('failed');
      return true;
    }
    if (state === 'completed') {
      // The row is still due although its job finished: that run found nothing to do. Run it again.
      await target.remove(id);
    } else if (state !== 'unknown') {
      return false; // waiting, delayed or active: it will run
    }
    await target.add(JOBS[queue].name, data, { jobId: id });
    return true;
  }
}
