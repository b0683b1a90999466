import { announce } from './feedback.js';

/** Copy buttons (data-copy="#target") and reveal toggles for masked secrets (data-reveal="#target"). */
export function enableCopyAndReveal(): void {
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const copy = target?.closest<HTMLButtonElement>('button[data-copy]');
    if (copy) void copyFrom(copy);
    const reveal = target?.closest<HTMLButtonElement>('button[data-reveal]');
    if (reveal) toggleReveal(reveal);
  });
}

async function copyFrom(button: HTMLButtonElement): Promise<void> {
  const source = document.querySelector<HTMLElement>(button.dataset.copy ?? '');
  const text = source?.textContent ?? '';
  if (!text) return;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (or an insecure origin): select the text so Ctrl+C copies it.
    if (source) selectContents(source);
    announce('Press Ctrl+C (or ⌘C) to copy the selected text.');
    return;
  }
  const original = button.textContent;
  button.textContent = 'Copied';
  announce('Copied to the clipboard.');
  window.setTimeout(() => {
    button.textContent = original;
  }, 1500);
}

function selectContents(element: HTMLElement): void {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
}

function toggleReveal(button: HTMLButtonElement): void {
  const secret = document.querySelector<HTMLElement>(button.dataset.reveal ?? '');
  if (!secret) return;
  const reveal = secret.classList.contains('is-masked');
  secret.classList.toggle('is-masked', !reveal);
  button.setAttribute('aria-pressed', String(reveal));
  button.textContent = reveal ? 'Hide' : 'Reveal';
}
