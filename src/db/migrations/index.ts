import { sql as initial } from './0001-initial.js';
import { sql as dashboardSessions } from './0002-dashboard-sessions.js';
import { sql as leanerPaymentIndexes } from './0003-leaner-payment-indexes.js';

/** Versioned migrations, applied in order, each once, inside its own transaction. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'dashboard-sessions', sql: dashboardSessions },
  { version: 3, name: 'leaner-payment-indexes', sql: leanerPaymentIndexes },
];
