/**
 * CSV as RFC 4180 has it (comma-separated, CRLF line ends, fields with a comma, quote or line break
 * quoted, quotes doubled), safe to open in a spreadsheet: a text field that would start a formula
 * (=, +, -, @, tab, carriage return) is prefixed with an apostrophe, as OWASP advises.
 */
export type CsvValue = string | number | boolean | null;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
