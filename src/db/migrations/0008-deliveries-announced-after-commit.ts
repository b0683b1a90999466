/**
 * New deliveries and new rounds are announced on `gateway_deliveries` by the code that wrote them,
 * after their statement has committed (`announceDeliveries`, src/db/delivery-announcements.ts), no
 * longer by triggers inside it: a NOTIFY in the writing transaction holds PostgreSQL's notification
 * lock through the commit's disk write, which made every payment insert, decision and refund
 * commit one after another.
 */
export const sql = /* sql */ `
DROP TRIGGER webhook_logs_inserted ON webhook_logs;
DROP FUNCTION notify_deliveries_inserted();
DROP TRIGGER webhook_logs_restarted ON webhook_logs;
DROP FUNCTION notify_deliveries_restarted();
`;
