import type { Logger } from '../logger.js';

export type Closer = () => Promise<void>;

/** Past this a shutdown is abandoned; container stop grace periods must be longer. */
export const SHUTDOWN_TIMEOUT_MS = 25_000;

export interface SignalHandling {
  /** The process is up: the first signal runs these closers (at once, if one already came). */
  ready(closers: Closer[]): void;
  /** The command finished by itself (e.g. migrate): stop handling signals. */
  dispose(): void;
}

/**
 * SIGTERM/SIGINT: run the closers in order (stop accepting work, finish what is in flight, close
 * pools) and exit 0; a second signal, or the timeout, exits 1 at once. Installed before a command
 * starts, so a signal during start-up is not fatal by Node's default action (which would skip every
 * closer): it is remembered, and the shutdown runs as soon as the process is up.
 */
export function handleSignals(log: Logger): SignalHandling {
  let closers: Closer[] | undefined;
  let requested: string | undefined;

  const shutdown = () => {
    if (!closers) return;
    const run = closers;
    void (async () => {
      for (const close of run) {
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

  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    requested = signal;
    log.info({ signal, starting: !closers }, 'shutting down');
    const deadline = setTimeout(() => {
      log.error('shutdown timed out: exiting');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    shutdown();
  };

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    ready(running) {
      closers = running;
      if (requested) shutdown();
    },
    dispose() {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}
