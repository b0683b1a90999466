import { safeEqual } from '../domain/signing.js';

export interface BasicCredentials {
  username: string;
  password: string;
}

/** Reads `Authorization: Basic base64(user:password)`; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * True when the header carries exactly the expected credentials. Both parts are always compared,
 * in constant time (over fixed-length digests), so neither timing nor an early exit tells an
 * attacker which part, or how much of it, was right.
 */
export function basicAuthMatches(header: string | undefined, expected: BasicCredentials): boolean {
  const given = parseBasicAuth(header);
  if (!given) return false;
  const userOk = safeEqual(given.username, expected.username);
  const passwordOk = safeEqual(given.password, expected.password);
  return userOk && passwordOk;
}
