import { readWebAsset, type WebAsset } from '../checkout/web-assets.js';

/**
 * The dashboard's browser bundle, stylesheet and icon from dist/web (built by `npm run build`), held in
 * memory and served under /dashboard/assets/ with their content hash as version. Loaded on first
 * use, so an API without a build still serves its API (the pages answer 503 until it is built).
 */
export interface DashboardAssets {
  files: Map<string, WebAsset>;
  /** Versioned URLs for the page's <script> and <link>. */
  js: string;
  css: string;
}

const JS = 'text/javascript; charset=utf-8';

export function dashboardAssetsLoader(webRoot: string): () => Promise<DashboardAssets> {
  let loading: Promise<DashboardAssets> | undefined;
  return () => {
    loading ??= load(webRoot).catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}

async function load(root: string): Promise<DashboardAssets> {
  const [js, map, css, favicon] = await Promise.all([
    readWebAsset(root, 'dashboard.js', JS),
    readWebAsset(root, 'dashboard.js.map', 'application/json'),
    readWebAsset(root, 'dashboard.css', 'text/css; charset=utf-8'),
    readWebAsset(root, 'dashboard/favicon.ico', 'image/x-icon'),
  ]);
  return {
    files: new Map([
      ['dashboard.js', js],
      ['dashboard.js.map', map],
      ['dashboard.css', css],
      ['favicon.ico', favicon],
    ]),
    js: `/dashboard/assets/dashboard.js?v=${js.version}`,
    css: `/dashboard/assets/dashboard.css?v=${css.version}`,
  };
}
