import pg from 'pg';
import type { Logger } from '../logger.js';

export const DELIVERIES_CHANNEL = 'gateway_deliveries';
const RECONNECT_MS = 1000;

/**
 * Calls `onNotify` whenever a statement that wrote deliveries commits (PostgreSQL NOTIFY, sent by a
 * trigger on webhook_logs), so new deliveries start within milliseconds instead of at the next poll.
 * A session of its own, since LISTEN lives in a session; reconnects by itself. Missing a
 * notification costs latency only: the dispatcher also polls.
 */
export function listenForDeliveries(
  databaseUrl: string,
  log: Logger,
  onNotify: () => void,
): () => Promise<void> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    const next = new pg.Client({
      connectionString: databaseUrl,
      connectionTimeoutMillis: 2000,
      keepAlive: true,
    });
    next.on('notification', () => onNotify());
    next.on('error', (err) => {
      log.warn({ err: err.message }, 'delivery notifications lost; reconnecting');
      void reconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${DELIVERIES_CHANNEL}`);
      client = next;
      onNotify(); // whatever was written while not listening
    } catch (err) {
      await next.end().catch(() => undefined);
      log.warn({ err: (err as Error).message }, 'cannot listen for deliveries yet; retrying');
      retry = setTimeout(() => void connect(), RECONNECT_MS);
    }
  };
  const reconnect = async () => {
    const old = client;
    client = null;
    await old?.end().catch(() => undefined);
    if (!stopped) retry = setTimeout(() => void connect(), RECONNECT_MS);
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
