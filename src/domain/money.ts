import { badRequest } from './errors.js';

/** Amounts are integers in the smallest currency unit (paise); never floats. */
export const MIN_AMOUNT = 100;
export const MAX_AMOUNT = 1_000_000_000_000;
export const DEFAULT_CURRENCY = 'INR';

export function assertOrderAmount(amount: number): void {
  if (!Number.isSafeInteger(amount)) throw badRequest('amount must be an integer', 'amount');
  if (amount < MIN_AMOUNT) throw badRequest(`amount must be at least ${MIN_AMOUNT}`, 'amount');
  if (amount > MAX_AMOUNT) throw badRequest(`amount must be at most ${MAX_AMOUNT}`, 'amount');
}

export function normaliseCurrency(currency: string | undefined): string {
  if (currency === undefined) return DEFAULT_CURRENCY;
  if (!/^[A-Za-z]{3}$/.test(currency)) throw badRequest('currency must be a 3-letter code', 'currency');
  return currency.toUpperCase();
}
