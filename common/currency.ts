/**
 * Amounts travel as integers in the currency's smallest unit (paise for INR); people read them as
 * formatted currency. The number of minor digits comes from Intl, so JPY (0) and KWD (3) work too.
 */
export function formatAmount(amount: number, currency: string, locale = 'en-IN'): string {
  let format: Intl.NumberFormat;
  try {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  } catch {
    // An unknown currency code: still show the number, in the smallest unit and labelled.
    return `${currency} ${amount}`;
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}
