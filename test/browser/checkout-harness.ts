import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Locator } from 'playwright-core';
import { buildCheckoutServer } from '../../src/checkout/server.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { launchBrowser } from '../support/browser.js';
import { type GatewayOptions, startTestGateway, type TestGateway } from '../support/gateway.js';

/**
 * What the checkout browser tests run on: a real API with in-process workers, the checkout server on
 * a random port pointing at it, and headless Chromium.
 */
export interface CheckoutHarness {
  gateway: TestGateway;
  checkoutUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startCheckoutHarness(options: GatewayOptions = {}): Promise<CheckoutHarness> {
  const gateway = await startTestGateway({ workers: true, ...options });
  const checkout = await startCheckoutServer(gateway.url, gateway.url, {
    testMode: gateway.config.TEST_MODE,
  });
  const browser = await launchBrowser();
  return {
    gateway,
    checkoutUrl: checkout.url,
    browser,
    async close() {
      await browser.close();
      await checkout.app.close();
      await gateway.close();
    },
  };
}

/**
 * A checkout server on a random port; `apiPublicUrl` is the API as the browser should reach it.
 * It runs in production mode unless told otherwise, as the checkout server does.
 */
export async function startCheckoutServer(
  apiPublicUrl: string,
  apiInternalUrl: string,
  options: { testMode?: boolean } = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const config = loadConfig({
    API_PUBLIC_URL: apiPublicUrl,
    API_INTERNAL_URL: apiInternalUrl,
    CHECKOUT_PUBLIC_URL: 'http://127.0.0.1:3001',
    TEST_MODE: String(options.testMode ?? false),
  });
  const app = await buildCheckoutServer(config, createLogger('silent', 'checkout-test'));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

export interface StaticSite {
  url: string;
  close(): Promise<void>;
}

export interface StaticFile {
  type: string;
  body: string;
  headers?: Record<string, string>;
}

/** A throwaway web server of fixed files: the merchant's site, or a foreign one, on its own origin. */
export async function serveStaticSite(
  files: (origin: string) => Record<string, StaticFile>,
): Promise<StaticSite> {
  let routes: Record<string, StaticFile> = {};
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const file = routes[new URL(request.url ?? '/', 'http://site').pathname];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': file.type, 'Cache-Control': 'no-store', ...file.headers });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes = files(url);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (taken from the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function visibleText(locator: Locator): Promise<string> {
  await locator.waitFor({ state: 'visible' });
  return ((await locator.textContent()) ?? '').trim();
}

/** The widths every buyer journey is tried at: a laptop and a phone. */
export const VIEWPORTS = [
  { name: '1280 px', width: 1280, height: 800 },
  { name: '390 px', width: 390, height: 844 },
] as const;

export type Viewport = (typeof VIEWPORTS)[number];

/** An expiry date a year ahead, as MM/YY. */
export function futureExpiry(now = new Date()): string {
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${month}/${String((now.getUTCFullYear() + 1) % 100).padStart(2, '0')}`;
}
