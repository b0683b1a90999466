import pg from 'pg';
import type { Logger } from '../logger.js';

const RECONNECT_MS = 1000;

export interface ChannelListener {
  stop(): Promise<void>;
}

/**
 * LISTENs on a channel on a session of its own (LISTEN lives in a session, so it cannot share a
 * pooled connection) and reconnects by itself. `onConnected` runs after every (re)connection, since
 * whatever was announced while not listening is lost: callers look at the database then.
 */
export function listenOn(
  databaseUrl: string,
  channel: string,
  log: Logger,
  handlers: { onNotify: (payload: string) => void; onConnected: () => void },
): ChannelListener {
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
    next.on('notification', (message) => {
      if (message.channel === channel) handlers.onNotify(message.payload ?? '');
    });
    next.on('error', (err) => {
      log.warn({ err: err.message, channel }, 'notifications lost; reconnecting');
      void reconnect(next);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (stopped) {
        await next.end().catch(() => undefined);
        return;
      }
      client = next;
      handlers.onConnected();
    } catch (err) {
      await next.end().catch(() => undefined);
      log.warn({ err: (err as Error).message, channel }, 'cannot listen for notifications yet; retrying');
      if (!stopped) retry = setTimeout(() => void connect(), RECONNECT_MS);
    }
  };
  const reconnect = async (broken: pg.Client) => {
    if (client !== broken) return;
    client = null;
    await broken.end().catch(() => undefined);
    if (!stopped) retry = setTimeout(() => void connect(), RECONNECT_MS);
  };
  void connect();
  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const last = client;
      client = null;
      await last?.end().catch(() => undefined);
    },
  };
}
