import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';

/** Debian's Chromium, headless, with the flags this sandboxed machine needs (Playwright makes the profile). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/**
 * axe-core's serious and critical findings on a checkout page or frame (whose policy lets a test
 * add a script tag), as "rule: help" lines.
 */
export async function seriousViolations(target: Page | Frame): Promise<string[]> {
  await target.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  return target.evaluate(async () => {
    type Violation = { id: string; impact: string | null; help: string };
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help}`);
  });
}

/** Where a test saves a screenshot: the repository's screenshots/ folder. */
export function screenshotPath(name: string): string {
  return fileURLToPath(new URL(`../../screenshots/${name}`, import.meta.url));
}
