import type { PaymentRecord, PaymentStatus } from '../domain/records.js';
import type { Queryable } from './pool.js';

/**
 * The dashboard's search over a merchant's payments: by status, by a piece of text (a payment or
 * order id, a VPA, a card's last four digits, the order's receipt) and by creation time. Every
 * statement is bound to the merchant first; the receipt comes from the merchant's own order.
 */
export interface PaymentSearch {
  status?: PaymentStatus;
  text?: string;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  until?: Date;
}

export type FoundPayment = PaymentRecord & { receipt: string | null };

const COLUMNS = `p.id, p.order_id, p.merchant_id, p.amount, p.currency, p.method, p.vpa, p.card_network, p.card_last4,
  p.status, p.captured, p.amount_refunded, p.error_code, p.error_description, p.test_outcome, p.process_after,
  p.created_at, p.updated_at, o.receipt`;

const FROM = 'payments p LEFT JOIN orders o ON o.id = p.order_id AND o.merchant_id = p.merchant_id';

/** `%text%` for ILIKE, with the pattern's own characters taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

function conditions(merchantId: string, search: PaymentSearch): { where: string; values: unknown[] } {
  const values: unknown[] = [merchantId];
  const where = ['p.merchant_id = $1'];
  const add = (condition: (n: number) => string, value: unknown) => {
    values.push(value);
    where.push(condition(values.length));
  };
  if (search.status) add((n) => `p.status = $${n}`, search.status);
  if (search.from) add((n) => `p.created_at >= $${n}`, search.from);
  if (search.until) add((n) => `p.created_at < $${n}`, search.until);
  if (search.text) {
    values.push(search.text, containing(search.text));
    const exact = values.length - 1;
    const like = values.length;
    where.push(`(p.id = $${exact} OR p.order_id = $${exact} OR p.card_last4 = $${exact}
      OR p.vpa ILIKE $${like} OR o.receipt ILIKE $${like})`);
  }
  return { where: where.join(' AND '), values };
}

export async function searchPayments(
  db: Queryable,
  merchantId: string,
  search: PaymentSearch,
  page: { limit: number; offset: number },
): Promise<{ rows: FoundPayment[]; total: number }> {
  const { where, values } = conditions(merchantId, search);
  const [rows, count] = await Promise.all([
    db.query<FoundPayment>({
      text: `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where}
             ORDER BY p.created_at DESC, p.id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      values: [...values, page.limit, page.offset],
    }),
    db.query<{ total: number }>({
      text: `SELECT count(*)::int AS total FROM ${FROM} WHERE ${where}`,
      values,
    }),
  ]);
  return { rows: rows.rows, total: count.rows[0]?.total ?? 0 };
}

/**
 * Every payment the search finds, newest first, a batch at a time (keyset pages, so a long export
 * neither holds a transaction open nor skips or repeats rows as new payments arrive).
 */
export async function* allFoundPayments(
  db: Queryable,
  merchantId: string,
  search: PaymentSearch,
  batchSize = 1000,
): AsyncGenerator<FoundPayment[]> {
  let after: { created_at: Date; id: string } | null = null;
  for (;;) {
    const { where, values } = conditions(merchantId, search);
    let keyset = '';
    if (after) {
      values.push(after.created_at, after.id);
      keyset = ` AND (p.created_at, p.id) < ($${values.length - 1}, $${values.length})`;
    }
    values.push(batchSize);
    const result = await db.query<FoundPayment>({
      text: `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where}${keyset}
             ORDER BY p.created_at DESC, p.id DESC LIMIT $${values.length}`,
      values,
    });
    if (result.rows.length > 0) yield result.rows;
    if (result.rows.length < batchSize) return;
    const last = result.rows[result.rows.length - 1] as FoundPayment;
    after = { created_at: last.created_at, id: last.id };
  }
}
