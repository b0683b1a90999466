import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertWebhookUrl, isBlockedAddress } from '../../src/webhooks/ssrf.js';
import { testEnvironment, waitFor } from '../support/gateway.js';
import { createMerchant } from '../support/merchants.js';
import { ProcessGateway } from '../support/process-gateway.js';
import { WebhookSink } from '../support/webhook-sink.js';

/**
 * Outside test mode no webhook may reach an internal address, however it is written. Addresses are
 * generated inside every blocked range and spelled in every form a URL parser accepts (decimal,
 * hex, octal, shortened, percent-encoded, and inside every IPv6 form that carries an IPv4 address:
 * mapped, compatible, SIIT, NAT64, 6to4, Teredo), then refused when saved; names
 * and literals that lead inside are refused again at delivery by a real worker. Listed cases live in
 * test/unit/ssrf.test.ts and test/integration/webhook-ssrf.test.ts; redirects are never followed at
 * all (test/faults/webhook-endpoints.test.ts).
 */
const BLOCKED_V4: Array<[number, number, number]> = [
  // [first octet, mask of the second octet's fixed bits, value of those bits]
  [127, 0, 0],
  [10, 0, 0],
  [0, 0, 0],
  [172, 0xf0, 16],
  [192, 0xff, 168],
  [169, 0xff, 254],
  [100, 0xc0, 64],
];

const octet = fc.integer({ min: 0, max: 255 });

/** An address inside one of the blocked IPv4 ranges (multicast and reserved included). */
const blockedV4 = fc.oneof(
  fc
    .tuple(fc.constantFrom(...BLOCKED_V4), octet, octet, octet)
    .map(([[first, mask, value], second, third, fourth]) => [first, (second & ~mask) | value, third, fourth]),
  fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet),
);

/** Every spelling of an IPv4 address that WHATWG URL parsing (what undici uses) turns back into it. */
function spellings([a, b, c, d]: number[]): string[] {
  const n =
    ((a as number) * 2 ** 24 + (b as number) * 2 ** 16 + (c as number) * 2 ** 8 + (d as number)) >>> 0;
  const hex = (x: number) => x.toString(16);
  const mappedHex = `${hex(((a as number) << 8) | (b as number))}:${hex(((c as number) << 8) | (d as number))}`;
  return [
    `${a}.${b}.${c}.${d}`,
    `${a}.${b}.${c}.${d}.`,
    String(n),
    `0x${hex(n)}`,
    `0X${hex(n).toUpperCase()}`,
    `0${n.toString(8)}`,
    `0${(a as number).toString(8)}.${b}.${c}.${d}`,
    `0x${hex(a as number)}.0x${hex(b as number)}.${c}.${d}`,
    `${a}.${((b as number) << 16) | ((c as number) << 8) | (d as number)}`,
    `%3${String(a)[0]}${String(a).slice(1)}.${b}.${c}.${d}`,
    `[::ffff:${a}.${b}.${c}.${d}]`,
    `[::ffff:${mappedHex}]`,
    `[0:0:0:0:0:ffff:${mappedHex}]`,
    `[64:ff9b::${a}.${b}.${c}.${d}]`,
    `[::${a}.${b}.${c}.${d}]`,
    `[::ffff:0:${mappedHex}]`,
    `[64:ff9b:1::${mappedHex}]`,
    `[2002:${mappedHex}::1]`,
    // Teredo, relayed through a public server (8.8.8.8) to the client, whose address is inverted.
    `[2001:0:808:808::${hex(~(((a as number) << 8) | (b as number)) & 0xffff)}:${hex(~(((c as number) << 8) | (d as number)) & 0xffff)}]`,
  ];
}

const blockedV6 = fc.oneof(
  // 64:ff9b::1 is NAT64 for 0.0.0.1: a spelling the guard missed before the fuzzer found it.
  fc.constantFrom(
    '[::1]',
    '[0:0:0:0:0:0:0:1]',
    '[::]',
    '[fe80::1%25eth0]',
    '[FE80::abcd]',
    '[64:ff9b::1]',
    '[64:ff9b::]',
    '[::ffff:0:7f00:1]',
    '[64:ff9b:1::7f00:1]',
    '[64:ff9b:1:7f00:1::]',
    '[2002:7f00:1::]',
    '[2002:a9fe:a9fe::1]',
    '[2001::]',
  ),
  fc
    .tuple(fc.integer({ min: 0xfc00, max: 0xfdff }), fc.integer({ min: 0, max: 0xffff }))
    .map(([x, y]) => `[${x.toString(16)}::${y.toString(16)}]`),
  fc
    .tuple(fc.integer({ min: 0xfe80, max: 0xfebf }), fc.integer({ min: 1, max: 0xffff }))
    .map(([x, y]) => `[${x.toString(16)}::${y.toString(16)}]`),
);

const refusedAtSave = (url: string) => {
  try {
    assertWebhookUrl(url, false);
    return false;
  } catch {
    return true;
  }
};

describe('internal addresses in every spelling', () => {
  it('refuses every form of every blocked IPv4 address (property, 2000 addresses)', () => {
    fc.assert(
      fc.property(blockedV4, fc.integer({ min: 1, max: 65535 }), (address, port) => {
        for (const host of spellings(address)) {
          const url = `http://${host}:${port}/hook`;
          // The parser must read the spelling as the address itself, or this test proves nothing.
          const parsed = new URL(url).hostname.replace(/^\[|\]$/g, '');
          expect(isBlockedAddress(parsed), `${url} parsed as ${parsed}`).toBe(true);
          expect(refusedAtSave(url), url).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses loopback, unique-local and link-local IPv6 (property)', () => {
    fc.assert(
      fc.property(blockedV6, (host) => refusedAtSave(`https://${host}/hook`)),
      { numRuns: 500 },
    );
  });

  it('still accepts public addresses in plain form (no over-blocking)', () => {
    const publicV4 = fc
      .tuple(fc.integer({ min: 1, max: 223 }), octet, octet, octet)
      .filter((address) => !isBlockedAddress(address.join('.')));
    fc.assert(
      fc.property(publicV4, (address) => !refusedAtSave(`https://${address.join('.')}/hook`)),
      { numRuns: 500 },
    );
  });
});

describe('against a real API and worker outside test mode', () => {
  let gw: ProcessGateway;
  let sink: WebhookSink;
  beforeAll(async () => {
    sink = await WebhookSink.start();
    const env = await testEnvironment({ WEBHOOK_ALLOW_PRIVATE_URLS: 'false' });
    gw = await ProcessGateway.start({ env, workers: 1 });
  });
  afterAll(async () => {
    await gw?.close();
    await sink?.close();
  });

  it('refuses to save generated internal webhook URLs', async () => {
    const samples = fc.sample(
      fc.oneof(
        blockedV4.chain((address) => fc.constantFrom(...spellings(address))),
        blockedV6,
      ),
      { numRuns: 60, seed: 7 },
    );
    const accepted: string[] = [];
    for (const host of samples) {
      const url = `http://${host}/hook`;
      const res = await gw.request('PUT', '/api/v1/merchant/webhook', { body: { webhook_url: url } });
      if (res.status !== 400 || res.body.error.field !== 'webhook_url')
        accepted.push(`${url} → ${res.status}`);
    }
    expect(accepted).toEqual([]);
  });

  it('refuses at delivery stored URLs that lead inside (by name or by literal)', {
    timeout: 60_000,
  }, async () => {
    const names = [
      'localhost',
      'localhost.',
      'LOCALHOST',
      '[::1]',
      '[::ffff:127.0.0.1]',
      '0x7f000001',
      '127.1',
    ];
    // The machine's own name usually resolves to one of its addresses: a name nobody thinks of.
    const own = await lookup(hostname()).catch(() => null);
    if (own && isBlockedAddress(own.address)) names.push(hostname());
    const attempts: string[] = [];
    for (const host of names) {
      const merchant = await createMerchant(gw.db, `SSRF ${host}`);
      const auth = { key: merchant.key, secret: merchant.secret };
      await gw.request('PUT', '/api/v1/merchant/webhook', {
        body: { webhook_url: 'https://93.184.215.14/hook' },
        auth,
      });
      // As if a check at save had been missed, or the name's DNS changed since.
      await gw.db.query('UPDATE webhook_endpoints SET url = $2 WHERE merchant_id = $1 AND is_default', [
        merchant.id,
        `http://${host}:${sink.port}/webhook`,
      ]);
      const queued = await gw.request('POST', '/api/v1/merchant/webhook/test', { auth });
      const detail = await waitFor(async () => {
        const d = await gw.request('GET', `/api/v1/webhooks/${queued.body.id}`, { auth });
        return d.body.attempts >= 1 && d.body;
      });
      // Refused by the guard, or (localhost. on some resolvers) not resolvable at all: never connected.
      const error = String(detail.attempt_history[0].error);
      attempts.push(`${host}: ${/^(blocked|ENOTFOUND|EAI_AGAIN)/.test(error) ? 'not connected' : error}`);
    }
    expect(attempts).toEqual(names.map((host) => `${host}: not connected`));
    expect(sink.requests).toHaveLength(0);
  });
});
