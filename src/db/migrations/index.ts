import { sql as initial } from './0001-initial.js';
import { sql as dashboardSessions } from './0002-dashboard-sessions.js';
import { sql as leanerPaymentIndexes } from './0003-leaner-payment-indexes.js';
import { sql as moneyInvariants } from './0004-money-invariants.js';
import { sql as eventsAndEndpoints } from './0005-events-and-endpoints.js';
import { sql as productionMode } from './0006-production-mode.js';
import { sql as developerTooling } from './0007-developer-tooling.js';
import { sql as deliveriesAnnouncedAfterCommit } from './0008-deliveries-announced-after-commit.js';
import { sql as claimsByEndpoint } from './0009-claims-by-endpoint.js';

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
  { version: 4, name: 'money-invariants', sql: moneyInvariants },
  { version: 5, name: 'events-and-endpoints', sql: eventsAndEndpoints },
  { version: 6, name: 'production-mode', sql: productionMode },
  { version: 7, name: 'developer-tooling', sql: developerTooling },
  { version: 8, name: 'deliveries-announced-after-commit', sql: deliveriesAnnouncedAfterCommit },
  { version: 9, name: 'claims-by-endpoint', sql: claimsByEndpoint },
];
