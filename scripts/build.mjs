// Builds the server (src/cli.ts → dist/cli.js) and every browser bundle: each web/<name>/entry.ts
// becomes dist/web/<name>.js (one minified IIFE), and web/<name>/public/* is copied to dist/web/<name>/.
import { cp, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'dist');
const exists = (path) =>
  stat(path).then(
    () => true,
    () => false,
  );

await rm(out, { recursive: true, force: true });
// The command and the typed client (`payment-gateway/client`); shared code and each side of the
// command go to chunks beside them, so `gateway listen` never loads the server.
await build({
  entryPoints: { cli: join(root, 'src/cli.ts'), client: join(root, 'src/client/index.ts') },
  outdir: out,
  chunkNames: '[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

const webRoot = join(root, 'web');
const apps = (await exists(webRoot)) ? await readdir(webRoot, { withFileTypes: true }) : [];
const sizes = [];
for (const app of apps.filter((entry) => entry.isDirectory())) {
  const entry = join(webRoot, app.name, 'entry.ts');
  if (await exists(entry)) {
    const result = await build({
      entryPoints: [entry],
      outfile: join(out, 'web', `${app.name}.js`),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: ['es2020', 'chrome90', 'firefox90', 'safari14.1'],
      minify: true,
      sourcemap: true,
      metafile: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    const [file, info] = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('.js'));
    sizes.push(`${app.name}.js ${(info.bytes / 1024).toFixed(1)} KiB`);
    void file;
  }
  const assets = join(webRoot, app.name, 'public');
  if (await exists(assets)) {
    await mkdir(join(out, 'web', app.name), { recursive: true });
    await cp(assets, join(out, 'web', app.name), { recursive: true });
  }
}
console.log(`built dist/cli.js${sizes.length ? `, ${sizes.join(', ')}` : ''}`);
