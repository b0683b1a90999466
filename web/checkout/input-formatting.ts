/**
 * Reformats a field as the payer types (card number groups, the expiry slash) without throwing the
 * caret to the end: it stays after the same number of digits it followed before.
 */
export function keepFormatted(input: HTMLInputElement, format: (value: string) => string): void {
  input.addEventListener('input', () => {
    const before = input.value;
    const formatted = format(before);
    if (formatted === before) return;
    const caret = input.selectionStart ?? before.length;
    const digitsBeforeCaret = countDigits(before.slice(0, caret));
    input.value = formatted;
    if (input.ownerDocument.activeElement === input) {
      const position = positionAfterDigits(formatted, digitsBeforeCaret);
      input.setSelectionRange(position, position);
    }
  });
}

function countDigits(text: string): number {
  return text.replace(/\D/g, '').length;
}

export function positionAfterDigits(text: string, digits: number): number {
  if (digits === 0) return 0;
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    if (/\d/.test(text.charAt(i))) seen++;
    if (seen === digits) return i + 1;
  }
  return text.length;
}
