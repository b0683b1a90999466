import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.js';
import { DashboardClient } from '../support/dashboard-client.js';
import { type GatewayOptions, startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * What the dashboard's browser tests run on: a real API (with the dashboard) and in-process workers
 * over real PostgreSQL and Redis, and one headless Chromium.
 */
export interface DashboardHarness {
  gateway: TestGateway;
  browser: Browser;
  /** A fresh browser context (its own cookies), signed in when credentials are given. */
  open(options?: {
    width?: number;
    height?: number;
    signIn?: { email: string; password: string };
    /** The browser's time zone and locale, e.g. 'Asia/Kolkata' and 'en-GB'. */
    timezoneId?: string;
    locale?: string;
  }): Promise<Page>;
  close(): Promise<void>;
}

export async function startDashboardHarness(options: GatewayOptions = {}): Promise<DashboardHarness> {
  const gateway = await startTestGateway({ workers: true, ...options });
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    gateway,
    browser,
    async open(openOptions = {}) {
      const context = await browser.newContext({
        viewport: { width: openOptions.width ?? 1280, height: openOptions.height ?? 900 },
        baseURL: gateway.url,
        timezoneId: openOptions.timezoneId,
        locale: openOptions.locale,
      });
      contexts.push(context);
      const page = await context.newPage();
      if (openOptions.signIn) await signIn(page, openOptions.signIn.email, openOptions.signIn.password);
      return page;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await gateway.close();
    },
  };
}

export const byTestId = (page: Page | Locator, id: string) => page.locator(`[data-test-id="${id}"]`);

/** Signs in through the login form, as a person would, and waits for the dashboard. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await byTestId(page, 'email-input').fill(email);
  await byTestId(page, 'password-input').fill(password);
  await byTestId(page, 'login-button').click();
  await page.waitForURL('**/dashboard');
}

/** A merchant made through the sign-up endpoint, with its API credentials for driving the API. */
export async function signUpMerchant(gateway: TestGateway, name: string, email: string, password: string) {
  const client = new DashboardClient(gateway.url);
  const created = await client.signUp(name, email, password);
  if (created.status !== 201) throw new Error(`sign-up failed: ${created.status} ${created.text}`);
  // The sign-up answer is the one place the API secret is ever shown.
  const { credentials } = created.body;
  return {
    id: created.body.merchant.id as string,
    key: credentials.api_key as string,
    secret: credentials.api_secret as string,
  };
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * axe-core's WCAG 2.x A/AA checks on the page as it is. The page's CSP allows only its own scripts,
 * so axe is added through the DevTools protocol (as an extension would), not a <script> tag.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const source = await axeSource;
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{ violations: AxeViolation[]; passes: unknown[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    // An empty list must mean "checked and clean", not "nothing was checked".
    if (result.passes.length === 0) throw new Error('axe-core checked nothing');
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target })),
    }));
  });
}

/** Only what would stop or seriously hinder someone: serious and critical findings. */
export const serious = (violations: AxeViolation[]) =>
  violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');

export function screenshotPath(name: string): string {
  return fileURLToPath(new URL(`../../screenshots/${name}`, import.meta.url));
}

/** True when nothing on the page is wider than the viewport (no sideways scrolling of the page). */
export function fitsViewport(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}
