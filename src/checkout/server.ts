import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { RequestLogController } from '../api/request-log.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { drainAndClose } from '../processes/drain.js';
import type { Closer } from '../processes/lifecycle.js';
import { createDemoOrder, DEMO_AMOUNT_LIMITS } from './demo-orders.js';
import { checkoutPageHeaders, demoPageHeaders, PERMISSIONS_POLICY, SDK_HEADERS } from './security-headers.js';
import {
  defaultWebRoot,
  readWebAsset,
  renderTemplate,
  sendAsset,
  type WebAsset,
  webAsset,
} from './web-assets.js';

export type CheckoutConfig = Pick<
  Config,
  'API_PUBLIC_URL' | 'API_INTERNAL_URL' | 'CHECKOUT_PUBLIC_URL' | 'CHECKOUT_PORT' | 'HOST' | 'TEST_MODE'
>;

export interface CheckoutServerOptions {
  /** Where the built bundles are (dist/web by default). */
  webRoot?: string;
}

// checkout.js keeps one URL forever, so browsers may reuse it briefly and then revalidate by ETag.
const SDK_CACHE = 'public, max-age=300';
const VERSIONED_CACHE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const JS = 'text/javascript; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

interface Pages {
  sdk: WebAsset;
  sdkMap: WebAsset;
  checkout: WebAsset;
  demo: WebAsset;
  /** Scripts and styles the pages link to, under /assets/ with their version in the query. */
  assets: Map<string, WebAsset>;
}

async function loadPages(config: CheckoutConfig, root: string): Promise<Pages> {
  const read = (file: string, type: string) => readWebAsset(root, file, type);
  const [sdk, sdkMap, checkoutJs, checkoutMap, checkoutCss, demoJs, demoMap, demoCss] = await Promise.all([
    read('sdk.js', JS),
    read('sdk.js.map', 'application/json'),
    read('checkout.js', JS),
    read('checkout.js.map', 'application/json'),
    read('checkout/checkout.css', 'text/css; charset=utf-8'),
    read('demo.js', JS),
    read('demo.js.map', 'application/json'),
    read('demo/demo.css', 'text/css; charset=utf-8'),
  ]);
  const versioned = (name: string, asset: WebAsset) => `assets/${name}?v=${asset.version}`;
  const template = async (file: string) => (await read(file, HTML)).body.toString('utf8');

  const checkout = renderTemplate(await template('checkout/index.html'), {
    apiUrl: withoutTrailingSlash(config.API_PUBLIC_URL),
    // The page shows its test-mode badge and test values only when the gateway runs in test mode.
    testMode: String(config.TEST_MODE),
    checkoutJs: versioned('checkout.js', checkoutJs),
    checkoutCss: versioned('checkout.css', checkoutCss),
  });
  const demo = renderTemplate(await template('demo/index.html'), {
    demoJs: versioned('demo.js', demoJs),
    demoCss: versioned('demo.css', demoCss),
    checkoutScriptUrl: `${withoutTrailingSlash(config.CHECKOUT_PUBLIC_URL)}/checkout.js`,
  });
  return {
    sdk,
    sdkMap,
    checkout: webAsset(checkout, HTML),
    demo: webAsset(demo, HTML),
    assets: new Map([
      ['checkout.js', checkoutJs],
      ['checkout.js.map', checkoutMap],
      ['checkout.css', checkoutCss],
      ['demo.js', demoJs],
      ['demo.js.map', demoMap],
      ['demo.css', demoCss],
    ]),
  };
}

const DemoOrderBody = {
  type: 'object',
  required: ['amount'],
  additionalProperties: false,
  properties: {
    amount: { type: 'integer', minimum: DEMO_AMOUNT_LIMITS.min, maximum: DEMO_AMOUNT_LIMITS.max },
  },
} as const;

/**
 * The checkout server (CHECKOUT_PORT, 3001): the SDK at /checkout.js, the hosted checkout page at
 * /checkout, and a demo merchant page at /demo. It holds no database or Redis connection: the page
 * talks to the API from the browser, and the demo's server-side call goes to the API over HTTP.
 */
export async function buildCheckoutServer(
  config: CheckoutConfig,
  log: Logger,
  options: CheckoutServerOptions = {},
): Promise<FastifyInstance> {
  const pages = await loadPages(config, options.webRoot ?? defaultWebRoot());
  const checkoutHeaders = checkoutPageHeaders(new URL(config.API_PUBLIC_URL).origin);
  const demoHeaders = demoPageHeaders();

  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    logController: new RequestLogController(),
    bodyLimit: 4096,
    // Requests arriving while draining are still answered (with Connection: close), like the API's.
    return503OnClosing: false,
  });

  // Security headers are set per route: each page has its own policy.
  await app.register(helmet, { global: false });

  app.get('/checkout.js', { helmet: SDK_HEADERS }, (request, reply) =>
    sendAsset(request, reply.header('Access-Control-Allow-Origin', '*'), pages.sdk, SDK_CACHE),
  );
  app.get('/sdk.js.map', (request, reply) => sendAsset(request, reply, pages.sdkMap, REVALIDATE));
  app.get('/checkout', { helmet: checkoutHeaders }, (request, reply) =>
    sendAsset(request, reply.header('Permissions-Policy', PERMISSIONS_POLICY), pages.checkout, REVALIDATE),
  );
  app.get('/demo', { helmet: demoHeaders }, (request, reply) =>
    sendAsset(request, reply, pages.demo, REVALIDATE),
  );
  app.get<{ Params: { name: string }; Querystring: { v?: string } }>('/assets/:name', (request, reply) => {
    const asset = pages.assets.get(request.params.name);
    if (!asset) return notFound(reply);
    // A URL that names the current version never changes meaning; any other is revalidated.
    const cache = request.query.v === asset.version ? VERSIONED_CACHE : REVALIDATE;
    return sendAsset(request, reply, asset, cache);
  });

  app.post<{ Body: { amount: number } }>(
    '/demo/orders',
    { schema: { body: DemoOrderBody } },
    async (request, reply) => {
      const answer = await createDemoOrder(config.API_INTERNAL_URL, request.body.amount);
      if (answer.status >= 500) request.log.warn({ answer: answer.body }, 'demo order not created');
      return reply.code(answer.status).header('Cache-Control', 'no-store').send(answer.body);
    },
  );

  app.get('/', (_request, reply) => reply.redirect('demo'));
  app.get('/health', () => ({ status: 'healthy' }));

  app.setNotFoundHandler((_request, reply) => notFound(reply));
  app.setErrorHandler(
    (err: { statusCode?: number; validation?: unknown; message: string }, request, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) request.log.error({ err }, 'checkout server error');
      const description = err.validation
        ? `amount must be an integer from ${DEMO_AMOUNT_LIMITS.min} to ${DEMO_AMOUNT_LIMITS.max} (paise)`
        : status === 500
          ? 'Internal error'
          : err.message;
      const code =
        status === 500 ? 'INTERNAL_ERROR' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST_ERROR';
      return reply.code(status).send({ error: { code, description } });
    },
  );
  return app;
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

function notFound(reply: FastifyReply) {
  return reply.code(404).send({ error: { code: 'NOT_FOUND_ERROR', description: 'Not found' } });
}

/** `gateway checkout`: serves on CHECKOUT_PORT until the closer runs. */
export async function serveCheckout(config: CheckoutConfig, log: Logger): Promise<Closer> {
  const app = await buildCheckoutServer(config, log);
  await app.listen({ port: config.CHECKOUT_PORT, host: config.HOST });
  log.info(
    {
      checkout: `${withoutTrailingSlash(config.CHECKOUT_PUBLIC_URL)}/checkout.js`,
      demo: `${withoutTrailingSlash(config.CHECKOUT_PUBLIC_URL)}/demo`,
    },
    'checkout server started',
  );
  return async () => {
    await drainAndClose(app);
  };
}
