import pg from 'pg';
import type { Queryable } from './pool.js';

/** Dispatchers listen here; a notification means new deliveries may be due. */
export const DELIVERIES_CHANNEL = 'gateway_deliveries';

const NOTIFY = { name: 'deliveries-announce', text: `SELECT pg_notify('${DELIVERIES_CHANNEL}', '')` };

/** Per pool: whether an announcement is on its way, and whether another was asked for meanwhile. */
const announcing = new WeakMap<pg.Pool, { again: boolean }>();

/**
 * Tells the dispatchers that a statement which has just committed wrote deliveries, so they start
 * within milliseconds instead of at the next poll. The announcement is a statement of its own:
 * a NOTIFY inside the writing transaction takes PostgreSQL's commit-time notification lock, which
 * is held through the commit's disk write and so serialises the commits of every transaction that
 * notifies (the API's payment inserts waited on the workers' decisions, and the other way round).
 * On a pool, announcements are sent after the caller's statement and coalesced (one in flight, one
 * more after it when asked meanwhile); inside a transaction (a client) the notification is the
 * transaction's own and arrives with its commit. Best effort either way: a lost one costs latency
 * only, as dispatchers also poll.
 */
export async function announceDeliveries(db: Queryable): Promise<void> {
  if (!(db instanceof pg.Pool)) {
    await db.query(NOTIFY);
    return;
  }
  const state = announcing.get(db);
  if (state) {
    state.again = true;
    return;
  }
  const sending = { again: false };
  announcing.set(db, sending);
  const send = (): void => {
    db.query(NOTIFY)
      .catch(() => undefined)
      .finally(() => {
        if (!sending.again) {
          announcing.delete(db);
          return;
        }
        sending.again = false;
        send();
      });
  };
  send();
}
