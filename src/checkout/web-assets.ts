import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The browser bundles that `npm run build` writes to dist/web, held in memory (they are a few
 * kilobytes) with a content hash that serves as ETag and as the cache-busting version in URLs.
 */
export interface WebAsset {
  body: Buffer;
  contentType: string;
  /** Short content hash: the ETag's value and the `?v=` of versioned URLs. */
  version: string;
}

export class MissingBuildError extends Error {}

/** dist/web, whether this code runs bundled (dist/cli.js) or from its sources (tests, tsx). */
export function defaultWebRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return basename(here) === 'dist' ? join(here, 'web') : join(here, '..', '..', 'dist', 'web');
}

export function webAsset(body: Buffer | string, contentType: string): WebAsset {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const version = createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
  return { body: bytes, contentType, version };
}

export async function readWebAsset(root: string, file: string, contentType: string): Promise<WebAsset> {
  const path = join(root, file);
  try {
    return webAsset(await readFile(path), contentType);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MissingBuildError(`${path} is missing: run \`npm run build\` first`);
    }
    throw err;
  }
}

/** Fills `{{name}}` placeholders with HTML-escaped values; a placeholder without a value is a bug. */
export function renderTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`);
    return escapeHtml(value);
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Sends an asset with its ETag, answering 304 when the browser already holds this version. */
export function sendAsset(
  request: FastifyRequest,
  reply: FastifyReply,
  asset: WebAsset,
  cacheControl: string,
): FastifyReply {
  const etag = `"${asset.version}"`;
  reply
    .header('ETag', etag)
    .header('Cache-Control', cacheControl)
    .header('X-Content-Type-Options', 'nosniff');
  const held = request.headers['if-none-match'];
  if (typeof held === 'string' && held.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return reply.code(304).send();
  }
  return reply.type(asset.contentType).send(asset.body);
}
