import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { badRequest } from '../domain/errors.js';

/**
 * Server-side request forgery guard for merchant webhook URLs. Outside test mode, a webhook may not
 * reach loopback, private, link-local (cloud metadata), or other special-purpose addresses. The
 * check runs when the URL is saved and again at delivery against the address actually connected to,
 * so a DNS name that later resolves to an internal address is refused too.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted quad counts as the last two). */
function ipv6Groups(ip: string): number[] {
  let text = ip.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a = 0, b = 0, c = 0, d = 0] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(zeros).fill('0'), ...right].map((group) => Number.parseInt(group, 16));
}

// Prefixes (first 96 bits) of IPv6 forms that carry an IPv4 address in their last 32 bits:
// ::ffff:0:0/96 (mapped), 64:ff9b::/96 (NAT64) and ::/96 (the deprecated IPv4-compatible form).
const EMBEDDING_PREFIXES = [
  [0, 0, 0, 0, 0, 0xffff],
  [0x64, 0xff9b, 0, 0, 0, 0],
  [0, 0, 0, 0, 0, 0],
];

/**
 * The IPv4 address an IPv6 address carries, in any spelling (::ffff:7f00:1, 64:ff9b::1,
 * 0:0:0:0:0:ffff:127.0.0.1…), or null. Matching on the parsed groups, not on the text, leaves no
 * spelling unchecked.
 */
function embeddedIpv4(ip: string): string | null {
  const groups = ipv6Groups(ip);
  const prefix = groups.slice(0, 6);
  if (!EMBEDDING_PREFIXES.some((candidate) => candidate.every((group, i) => group === prefix[i])))
    return null;
  const [high = 0, low = 0] = groups.slice(6);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

export function isBlockedAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    return v4 !== null ? blocked.check(v4, 'ipv4') : blocked.check(bare, 'ipv6');
  }
  return true; // not an address at all: refuse
}

const LOCAL_NAMES = /(^|\.)(localhost|localdomain|local|internal|home\.arpa)$/i;
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Validates a webhook URL when it is saved. Names are checked again at delivery, after resolution. */
export function assertWebhookUrl(raw: string, allowPrivate: boolean): URL {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) {
    throw badRequest(`webhook_url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`, 'webhook_url');
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest('webhook_url must be an absolute http or https URL', 'webhook_url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badRequest('webhook_url must use http or https', 'webhook_url');
  }
  if (url.username || url.password)
    throw badRequest('webhook_url must not contain credentials', 'webhook_url');
  if (!allowPrivate) assertPublicHost(url.hostname);
  return url;
}

export function assertPublicHost(hostname: string): void {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  const refused = isIP(host) ? isBlockedAddress(host) : LOCAL_NAMES.test(host) || !host.includes('.');
  if (refused) {
    throw badRequest('webhook_url must point at a public address', 'webhook_url');
  }
}

export class BlockedAddressError extends Error {
  readonly code = 'EBLOCKED';
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A dns.lookup replacement for outgoing webhook connections: resolves as usual, then refuses the
 * connection when any resolved address is blocked (so a name cannot smuggle an internal target).
 */
export function guardedLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
  dnsLookup(hostname, { all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((entry) => isBlockedAddress(entry.address));
    if (bad)
      return callback(new BlockedAddressError(`refused to connect to ${bad.address} (${hostname})`), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(new Error(`no address for ${hostname}`), []);
    callback(null, first.address, first.family);
  });
}
