import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertWebhookUrl, isBlockedAddress } from '../../src/webhooks/ssrf.js';

describe('isBlockedAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
    '[::1]',
    'fe80::1%eth0',
    'not-an-ip',
  ])('blocks %s', (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each(['8.8.8.8', '93.184.215.14', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (ip) => {
      expect(isBlockedAddress(ip)).toBe(false);
    },
  );
});

/**
 * Every IPv6 form that carries an IPv4 address must be judged as that address. Each embedder below
 * writes an IPv4 address into its prefix (filling every free bit at random); the verdict on the
 * IPv6 address must equal the verdict on the IPv4 address, both ways: a prefix the guard does not
 * read either lets a private address through or refuses a public one.
 */
const octet = fc.integer({ min: 0, max: 255 });
const hex16 = fc.integer({ min: 0, max: 0xffff });

/** IPv4 addresses, half of them drawn from the special-purpose ranges, half anywhere. */
const ipv4 = fc.oneof(
  fc
    .tuple(
      fc.constantFrom([127], [10], [0], [172, 16], [192, 168], [169, 254], [100, 64], [224], [255, 255]),
      octet,
      octet,
      octet,
      octet,
    )
    .map(([fixed, ...rest]) => [...fixed, ...rest].slice(0, 4)),
  fc.tuple(octet, octet, octet, octet),
);

const dotted = (octets: number[]) => octets.join('.');
const value32 = ([a = 0, b = 0, c = 0, d = 0]: number[]) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
const high16 = (octets: number[]) => (value32(octets) >>> 16).toString(16);
const low16 = (octets: number[]) => (value32(octets) & 0xffff).toString(16);
const inverted = (octets: number[]) => {
  const n = ~value32(octets) >>> 0;
  return [(n >>> 16).toString(16), (n & 0xffff).toString(16)];
};

interface Embedder {
  name: string;
  /** Spells `client` inside the prefix; `free` fills the bits the form leaves open. */
  embed: (client: number[], free: number[], server: number[]) => string;
  /** The IPv4 addresses whose verdict the IPv6 address must share (all public, or it is refused). */
  carries: (client: number[], server: number[]) => number[][];
}

const EMBEDDERS: Embedder[] = [
  {
    name: 'IPv4-mapped ::ffff:0:0/96',
    embed: (a) => `::ffff:${high16(a)}:${low16(a)}`,
    carries: (a) => [a],
  },
  {
    name: 'IPv4-mapped, dotted',
    embed: (a) => `0:0:0:0:0:ffff:${dotted(a)}`,
    carries: (a) => [a],
  },
  { name: 'IPv4-compatible ::/96', embed: (a) => `::${dotted(a)}`, carries: (a) => [a] },
  {
    name: 'SIIT ::ffff:0:0:0/96',
    embed: (a) => `::ffff:0:${high16(a)}:${low16(a)}`,
    carries: (a) => [a],
  },
  {
    name: 'NAT64 well-known 64:ff9b::/96',
    embed: (a) => `64:ff9b::${high16(a)}:${low16(a)}`,
    carries: (a) => [a],
  },
  {
    name: 'NAT64 local-use 64:ff9b:1::/48, /96 form',
    embed: (a) => `64:ff9b:1::${dotted(a)}`,
    carries: (a) => [a],
  },
  {
    name: '6to4 2002::/16',
    embed: (a, free) => `2002:${high16(a)}:${low16(a)}:${free.map((x) => x.toString(16)).join(':')}`,
    carries: (a) => [a],
  },
  {
    name: 'Teredo 2001::/32',
    embed: (client, free, server) =>
      `2001:0:${high16(server)}:${low16(server)}:${(free[0] ?? 0).toString(16)}:${(free[1] ?? 0).toString(16)}:${inverted(client).join(':')}`,
    carries: (client, server) => [client, server],
  },
];

describe('IPv6 forms that carry an IPv4 address', () => {
  it.each(EMBEDDERS)('$name is judged as the IPv4 address it carries (property)', ({ embed, carries }) => {
    fc.assert(
      fc.property(ipv4, ipv4, fc.array(hex16, { minLength: 5, maxLength: 5 }), (client, server, free) => {
        const address = embed(client, free, server);
        const expected = carries(client, server).some((carried) => isBlockedAddress(dotted(carried)));
        expect(isBlockedAddress(address), address).toBe(expected);
        expect(isBlockedAddress(`[${address}]`), address).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['::ffff:0:7f00:1', true],
    ['::ffff:0:808:808', false],
    ['64:ff9b:1::7f00:1', true],
    ['64:ff9b:1::808:808', false],
    ['2002:7f00:1::', true],
    ['2002:a00:1::1', true],
    ['2002:808:808::1', false],
    ['2001::', true], // Teredo client 255.255.255.255 via server 0.0.0.0
    ['2001:0:808:808:0:0:f7f7:f7f7', false], // client 8.8.8.8 via server 8.8.8.8
    ['2001:0:808:808:0:0:80ff:fefe', true], // client 127.0.1.1
    ['2001:0:a00:1:0:0:f7f7:f7f7', true], // server 10.0.0.1
    ['::7f00:1', true],
    ['::808:808', false],
  ])('%s blocked: %s', (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked);
  });

  it('refuses local-use NAT64 addresses outside the /96 form, whose IPv4 cannot be located', () => {
    fc.assert(
      fc.property(
        fc.array(hex16, { minLength: 5, maxLength: 5 }).filter((parts) => parts.slice(0, 3).some(Boolean)),
        (parts) => isBlockedAddress(`64:ff9b:1:${parts.map((x) => x.toString(16)).join(':')}`),
      ),
      { numRuns: 500 },
    );
  });

  it('allows ordinary global IPv6 unicast (no over-blocking)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0x2400, max: 0x2fff }),
        fc.array(hex16, { minLength: 7, maxLength: 7 }),
        (first, rest) => !isBlockedAddress([first, ...rest].map((x) => x.toString(16)).join(':')),
      ),
      { numRuns: 500 },
    );
  });
});

describe('assertWebhookUrl', () => {
  const refused = (url: string, allowPrivate = false) => {
    try {
      assertWebhookUrl(url, allowPrivate);
      return false;
    } catch {
      return true;
    }
  };

  it.each([
    'http://127.0.0.1/hook',
    'http://localhost:4000/webhook',
    'http://LOCALHOST./hook',
    'http://169.254.169.254/latest/meta-data',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:a9fe:a9fe]/',
    'http://[::ffff:0:7f00:1]/',
    'http://[64:ff9b:1::7f00:1]/',
    'http://[64:ff9b:1::127.0.0.1]/',
    'http://[2002:7f00:1::]/',
    'http://[2001::]/',
    'http://10.1.2.3/',
    'http://192.168.0.10/',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://017700000001/',
    'http://metadata.internal/',
    'http://intranet/',
  ])('refuses %s outside test mode', (url) => {
    expect(refused(url)).toBe(true);
  });

  it.each([
    'ftp://example.com/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'not a url',
    `https://example.com/${'a'.repeat(2050)}`,
    'https://user:pw@example.com/',
  ])('refuses %s always', (url) => {
    expect(refused(url, true)).toBe(true);
  });

  it('allows public URLs, and private ones when configured', () => {
    expect(refused('https://merchant.example.com/webhooks')).toBe(false);
    expect(refused('http://93.184.215.14:8080/hook')).toBe(false);
    expect(refused('http://localhost:4000/webhook', true)).toBe(false);
    expect(refused('http://127.0.0.1:4000/webhook', true)).toBe(false);
  });
});
