import { DelayedError, type Job } from 'bullmq';

/**
 * A job that runs before its row is due (re-added by the sweeper or by hand) goes back to the delayed
 * set for the remaining time instead of acting early. Throws BullMQ's DelayedError when it does.
 */
export async function deferUntilDue(
  job: Job,
  token: string | undefined,
  dueAt: Date,
  now: Date,
): Promise<void> {
  const early = dueAt.getTime() - now.getTime();
  if (early <= 0) return;
  await job.moveToDelayed(Date.now() + early, token);
  throw new DelayedError();
}
