import helmet from '@fastify/helmet';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { defaultWebRoot, MissingBuildError, sendAsset } from '../checkout/web-assets.js';
import { isDatabaseUnavailable } from '../db/pool.js';
import { TEST_MERCHANT } from '../db/seed.js';
import { findDashboardMerchant } from '../services/merchants.js';
import type { DashboardContext } from './context.js';
import { dashboardAssetsLoader } from './dashboard-assets.js';
import { endpointsData, eventsData } from './endpoint-pages-data.js';
import { type Html, html } from './html.js';
import type { OpenApiDocument } from './openapi-types.js';
import { homeData, logsData, snippetValues, transactionsData, webhooksData } from './page-data.js';
import { DASHBOARD_PAGE_HEADERS, PERMISSIONS_POLICY } from './security-headers.js';
import type { DashboardSession } from './sessions.js';
import { loginView, signUpView } from './views/auth.js';
import { docsView } from './views/docs.js';
import { endpointsView } from './views/endpoints.js';
import { eventsView } from './views/events.js';
import { homeView } from './views/home.js';
import { layout, type PageName } from './views/layout.js';
import { logsView } from './views/logs.js';
import { transactionsView } from './views/transactions.js';
import { webhooksView } from './views/webhooks.js';

/** Who may see a page: signed-out visitors only, signed-in merchants only, or anyone. */
type Access = 'guest' | 'member' | 'anyone';
type Query = Record<string, string | undefined>;

interface PageSpec {
  name: PageName;
  title: string;
  paths: string[];
  access: Access;
  render(request: FastifyRequest, session: DashboardSession | null, query: Query): Promise<Html>;
}

const VERSIONED_CACHE = 'public, max-age=31536000, immutable';
const ICON_CACHE = 'public, max-age=86400';

/** Only a path of this dashboard is a place to return to after signing in (no open redirect). */
export function safeNext(next: string | undefined): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  const url = new URL(next, 'http://dashboard.invalid');
  if (url.origin !== 'http://dashboard.invalid' || !url.pathname.startsWith('/dashboard')) return null;
  return url.pathname + url.search + url.hash;
}

export interface DashboardPagesOptions extends DashboardContext {
  webRoot?: string;
}

/**
 * The dashboard's pages, rendered on the server with the signed-in merchant's data (every documented
 * data-test-id is in the HTML as sent); the bundle adds the actions, the chart and auto-refresh.
 */
export const dashboardPages: FastifyPluginAsync<DashboardPagesOptions> = async (app, options) => {
  const { runtime, sessions } = options;
  const assets = dashboardAssetsLoader(options.webRoot ?? defaultWebRoot());
  // Every page (and its assets) under one policy; this plugin's routes only.
  await app.register(helmet, DASHBOARD_PAGE_HEADERS);
  const member = (session: DashboardSession | null) => {
    if (!session) throw new Error('page rendered without a session');
    return session.merchant.id;
  };

  /** A signed-in page at /dashboard/<name>: the merchant's data, loaded for the query, then rendered. */
  const memberPage = <Data>(
    name: PageName,
    title: string,
    load: (context: typeof runtime, merchantId: string, query: Query) => Promise<Data>,
    view: (data: Data) => Html,
  ): PageSpec => ({
    name,
    title,
    paths: [`/dashboard/${name}`, `/dashboard/${name}.html`],
    access: 'member',
    render: async (_request, session, query) => view(await load(runtime, member(session), query)),
  });

  const pages: PageSpec[] = [
    {
      name: 'login',
      title: 'Sign in',
      paths: ['/login', '/login.html'],
      access: 'guest',
      render: async (_request, _session, query) =>
        loginView({ testMode: runtime.config.TEST_MODE, next: safeNext(query.next) }),
    },
    {
      name: 'signup',
      title: 'Create an account',
      paths: ['/signup', '/signup.html'],
      access: 'guest',
      render: async () => signUpView(),
    },
    {
      name: 'home',
      title: 'Overview',
      paths: ['/dashboard', '/dashboard.html', '/dashboard/index.html'],
      access: 'member',
      render: async (_request, session) => homeView(await homeData(runtime, member(session))),
    },
    memberPage('transactions', 'Transactions', transactionsData, transactionsView),
    memberPage('webhooks', 'Webhooks', webhooksData, webhooksView),
    memberPage('endpoints', 'Endpoints', endpointsData, endpointsView),
    memberPage('events', 'Events', eventsData, eventsView),
    memberPage('logs', 'Logs', logsData, logsView),
    {
      name: 'docs',
      title: 'Docs',
      paths: ['/dashboard/docs', '/dashboard/docs.html'],
      access: 'anyone',
      render: async (_request, session) =>
        docsView({
          snippets: await snippetValues(runtime, session),
          signedIn: session !== null,
          openapi: app.swagger() as OpenApiDocument,
        }),
    },
  ];

  async function startTestMerchantSession(request: FastifyRequest, reply: FastifyReply) {
    const merchant = await findDashboardMerchant(runtime, TEST_MERCHANT.id);
    return merchant ? sessions.start(request, reply, merchant) : null;
  }

  /** A page open to anyone still shows, signed out, when the database cannot start a session. */
  async function testMerchantSession(spec: PageSpec, request: FastifyRequest, reply: FastifyReply) {
    if (spec.access === 'member') return startTestMerchantSession(request, reply);
    try {
      return await startTestMerchantSession(request, reply);
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      request.log.warn({ err: (err as Error).message }, 'docs shown signed out: no database');
      return null;
    }
  }

  async function servePage(spec: PageSpec, request: FastifyRequest, reply: FastifyReply) {
    const query = request.query as Query;
    reply.header('Permissions-Policy', PERMISSIONS_POLICY).header('Cache-Control', 'no-store');
    let session: DashboardSession | null = null;
    try {
      session = await sessions.resolve(request);
      if (spec.access !== 'guest' && !session && runtime.config.TEST_MODE) {
        // In test mode the dashboard opens as the public test merchant (whose login accepts any
        // password anyway), so that /dashboard/webhooks.html works without a sign-in,
        // and the docs, opened first, show the navigation and the test merchant's own examples.
        session = await testMerchantSession(spec, request, reply);
      }
      if (spec.access === 'member' && !session) {
        return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
      }
      if (spec.access === 'guest' && session) return reply.redirect(safeNext(query.next) ?? '/dashboard');
      const [files, main] = await Promise.all([assets(), spec.render(request, session, query)]);
      const frame = {
        page: spec.name,
        title: spec.title,
        assets: files,
        merchant: session?.merchant ?? null,
        csrfToken: session?.csrfToken ?? null,
        testMode: runtime.config.TEST_MODE,
      };
      return reply.type('text/html; charset=utf-8').send(layout(frame, main).text);
    } catch (err) {
      return sendErrorPage(request, reply, err);
    }
  }

  for (const spec of pages) {
    for (const path of spec.paths) {
      app.get(path, { schema: { hide: true } }, (request, reply) => servePage(spec, request, reply));
    }
  }

  // `/` (on the API port and on the dashboard port) lands on the dashboard, or the sign-in page.
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/dashboard'));

  // Browsers ask every origin for its icon; the API port (and the dashboard port) answer with the dashboard's.
  app.get('/favicon.ico', { schema: { hide: true } }, async (request, reply) => {
    const icon = await assets().then(
      (loaded) => loaded.files.get('favicon.ico'),
      () => undefined, // not built: no icon, and nothing to report
    );
    if (!icon) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return sendAsset(request, reply, icon, ICON_CACHE);
  });

  app.get<{ Params: { name: string }; Querystring: { v?: string } }>(
    '/dashboard/assets/:name',
    { schema: { hide: true } },
    async (request, reply) => {
      const asset = (await assets()).files.get(request.params.name);
      if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
      const cache = request.query.v === asset.version ? VERSIONED_CACHE : 'no-cache';
      return sendAsset(request, reply, asset, cache);
    },
  );
};

/** A page that could not be rendered still answers with a page: what happened and what to do. */
function sendErrorPage(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const unavailable = isDatabaseUnavailable(err) || err instanceof MissingBuildError;
  if (unavailable) request.log.warn({ err: (err as Error).message }, 'dashboard page unavailable');
  else request.log.error({ err }, 'dashboard page failed');
  const message =
    err instanceof MissingBuildError
      ? 'The dashboard has not been built on this server. Run npm run build, then reload.'
      : unavailable
        ? 'The gateway cannot reach its database right now. Try again in a moment.'
        : 'Something went wrong while loading this page. Try again in a moment.';
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Dashboard unavailable · Payment Gateway</title></head>
<body><main><h1>Dashboard unavailable</h1><p data-test-id="page-error">${message}</p>
<p><a href="">Reload</a></p></main></body></html>`;
  return reply
    .code(unavailable ? 503 : 500)
    .type('text/html; charset=utf-8')
    .send(page.text);
}
