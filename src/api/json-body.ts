import type { FastifyInstance } from 'fastify';
import { badRequest } from '../domain/errors.js';

/**
 * The API's one JSON body parser. Besides what Fastify's own parser refuses (malformed JSON,
 * `__proto__` keys), it refuses text that cannot be stored or echoed faithfully: bytes that are not
 * UTF-8, and `\ud800`-style escapes that leave half a surrogate pair. Either would otherwise reach
 * PostgreSQL, the webhook payloads and the answers as U+FFFD, a value the client never sent.
 * An empty body counts as none: POSTs such as "regenerate secret" carry no body.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Only a \u escape of D800–DFFF can produce a lone surrogate; most bodies skip the walk. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /\p{Surrogate}/u;

export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(badRequest('Request body is not valid UTF-8'), undefined);
      return;
    }
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, (err, value) => {
      if (err) return done(err, undefined);
      const field = SURROGATE_ESCAPE.test(text) ? loneSurrogateAt(value, '') : null;
      if (field !== null) {
        const where = field === '' ? 'Request body' : field;
        return done(
          badRequest(`${where} contains an unpaired UTF-16 surrogate (\\ud800–\\udfff)`, field || undefined),
          undefined,
        );
      }
      done(null, value);
    });
  });
}

/** The path of the first string (value or key) holding a lone surrogate, or null. */
function loneSurrogateAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = loneSurrogateAt(item, `${path}[${index}]`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (LONE_SURROGATE.test(key)) return path;
      const found = loneSurrogateAt(item, at);
      if (found !== null) return found;
    }
  }
  return null;
}
