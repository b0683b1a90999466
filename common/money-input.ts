/**
 * Amounts typed by people (in major units, "1,250.50") and amounts the API takes (integers in the
 * smallest unit, 125050). Parsed as text, never through floating point.
 */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2
    );
  } catch {
    return 2;
  }
}

/** 125050 INR → "1250.50": the value an amount input starts with. */
export function toMajorText(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(Math.abs(minor)).padStart(digits + 1, '0');
  return `${minor < 0 ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; message: string };

/**
 * A refund amount as typed, checked against what is left to refund. Commas, spaces and a leading
 * currency symbol are allowed; anything else is explained.
 */
export function parseRefundAmount(
  typed: string,
  currency: string,
  available: number,
  format: (minor: number) => string,
): ParsedAmount {
  const text = typed.replace(/[\s,]/g, '').replace(/^\p{Sc}/u, '');
  if (text === '') return { ok: false, message: 'Enter the amount to refund.' };
  const digits = minorDigits(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return { ok: false, message: 'Enter the amount as a number, for example 250.00.' };
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return {
      ok: false,
      message: digits === 0 ? 'Enter a whole amount.' : `Use at most ${digits} decimal places.`,
    };
  }
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) return { ok: false, message: 'That amount is too large.' };
  if (minor <= 0) return { ok: false, message: 'Enter an amount greater than zero.' };
  if (minor > available) {
    return { ok: false, message: `At most ${format(available)} can be refunded.` };
  }
  return { ok: true, minor };
}
