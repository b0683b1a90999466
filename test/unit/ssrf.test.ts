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
