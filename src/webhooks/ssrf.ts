import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { badRequest } from '../domain/errors.js';

/**
 * Server-side request forgery guard for merchant webhook URLs. Outside test mode, a webhook may not
 * reach loopback, private, link-local (cloud metadata), or other special-purpose addresses. The
 * check runs when the URL is saved and again at delivery against the address actually connected to,
 * so a DNS name that later resolves to an internal address is refused too.
 *
 * Addresses are classified by ipaddr.js's special-purpose ranges: an IPv4 address passes only when
 * it is ordinary unicast, and so does an IPv6 address, except that every IPv6 form that carries an
 * IPv4 address is judged by that IPv4 address, since a translator, relay or dual-stack socket on
 * the way would deliver to it.
 */
type IPv4 = ipaddr.IPv4;
type IPv6 = ipaddr.IPv6;

const v4 = (value: number) =>
  new ipaddr.IPv4([value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
/** The 32 bits held by two consecutive 16-bit groups. */
const groupsValue = (parts: number[], first: number) =>
  (((parts[first] ?? 0) << 16) | (parts[first + 1] ?? 0)) >>> 0;
const lastGroups = (address: IPv6) => v4(groupsValue(address.parts, 6));

interface Embedding {
  prefix: string;
  /** The IPv4 addresses this form names (all must be public), or null when none can be read safely. */
  ipv4: (address: IPv6) => IPv4[] | null;
}

/** Every IPv6 prefix that embeds an IPv4 address, and where that address sits. */
export const IPV4_EMBEDDING_PREFIXES: readonly Embedding[] = [
  // IPv4-mapped (RFC 4291): what a dual-stack socket connects to as plain IPv4.
  { prefix: '::ffff:0:0/96', ipv4: (a) => [lastGroups(a)] },
  // IPv4-compatible (RFC 4291, deprecated); :: and ::1 fall in here too, as 0.0.0.0 and 0.0.0.1.
  { prefix: '::/96', ipv4: (a) => [lastGroups(a)] },
  // IPv4-translated, SIIT (RFC 6145).
  { prefix: '::ffff:0:0:0/96', ipv4: (a) => [lastGroups(a)] },
  // NAT64 well-known prefix (RFC 6052).
  { prefix: '64:ff9b::/96', ipv4: (a) => [lastGroups(a)] },
  // NAT64 local-use prefix (RFC 8215). Where the IPv4 address sits depends on the prefix length the
  // local translator was given; only the /96 form (bits 48–95 zero) can be read without knowing it,
  // so every other address in the /48 is refused.
  {
    prefix: '64:ff9b:1::/48',
    ipv4: (a) => (a.parts.slice(3, 6).every((part) => part === 0) ? [lastGroups(a)] : null),
  },
  // 6to4 (RFC 3056): 2002:VVVV:VVVV::/48, the relay's IPv4 address in bits 16–47.
  { prefix: '2002::/16', ipv4: (a) => [v4(groupsValue(a.parts, 1))] },
  // Teredo (RFC 4380): 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC, the server's IPv4 address in bits
  // 32–63 and the client's (the one packets are relayed to) in the last 32 bits, inverted.
  {
    prefix: '2001::/32',
    ipv4: (a) => [v4(groupsValue(a.parts, 2)), v4(~groupsValue(a.parts, 6) >>> 0)],
  },
];

const embeddings = IPV4_EMBEDDING_PREFIXES.map((embedding) => ({
  range: ipaddr.IPv6.parseCIDR(embedding.prefix),
  ipv4: embedding.ipv4,
}));

const isPublicIpv4 = (address: IPv4) => address.range() === 'unicast';

function isPublicIpv6(address: IPv6): boolean {
  const embedding = embeddings.find(({ range }) => address.match(range));
  if (!embedding) return address.range() === 'unicast';
  const carried = embedding.ipv4(address);
  return carried?.every(isPublicIpv4) ?? false;
}

export function isBlockedAddress(ip: string): boolean {
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  // node:net accepts only canonical literals (no 0x7f.1 or 127.1), which ipaddr.js would take.
  const family = isIP(bare);
  if (family === 4) return !isPublicIpv4(ipaddr.IPv4.parse(bare));
  if (family === 6) return !isPublicIpv6(ipaddr.IPv6.parse(bare));
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
