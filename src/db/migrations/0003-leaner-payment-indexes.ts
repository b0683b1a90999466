/**
 * Every payment insert and every decision paid for five index updates. Two of them served reads that
 * do not need them: payments by order (nothing queries it; the order's foreign key is never the
 * parent side of a delete) and the status-filtered list, which walks the merchant's newest-first
 * index and filters (statuses are few and common, and lists are paged). Fewer indexes also keep a
 * payment's writes cheaper for PostgreSQL, the shared resource under load.
 */
export const sql = /* sql */ `
DROP INDEX IF EXISTS payments_merchant_status_created;
DROP INDEX IF EXISTS payments_order;
`;
