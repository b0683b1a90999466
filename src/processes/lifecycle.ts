import type { Logger } from '../logger.js';

export type Closer = () => Promise<void>;

/** Past this a shutdown is abandoned; container stop grace periods must be longer. */
export const SHUTDOWN_TIMEOUT_MS = 25_000;

/**
 * SIGTERM/SIGINT: run the closers in order (stop accepting work, finish what is in flight, close
 * pools) and exit; a second signal, or the timeout, exits at once.
 */
export function exitGracefullyOnSignals(log: Logger, closers: Closer[]): void {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown timed out: exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    void (async () => {
      for (const close of closers) {
        try {
          await close();
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'error while closing');
        }
      }
      log.info('shutdown complete');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
