import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { formatAmount } from '../../common/currency.js';
import { parseRefundAmount, toMajorText } from '../../common/money-input.js';
import { createOrderSnippet, sdkSnippet } from '../../src/dashboard/docs-snippets.js';
import { attrs, html, trusted } from '../../src/dashboard/html.js';
import { safeNext } from '../../src/dashboard/pages.js';
import { carriesCsrfToken, changesState, comesFromOwnOrigin } from '../../src/dashboard/request-guards.js';
import { SESSION_IDLE_MS, SESSION_MAX_AGE_MS, sessionExpiry } from '../../src/dashboard/sessions.js';
import { describeType, fieldRows } from '../../src/dashboard/views/api-reference.js';
import { successRate, totalAmount } from '../../src/dashboard/views/home.js';
import { pageNumber, pagination } from '../../src/dashboard/views/pagination.js';
import { fillDays, windowStart } from '../../src/dashboard/volume-series.js';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from '../../src/services/passwords.js';

describe('refund amounts typed in major units', () => {
  const inr = (minor: number) => formatAmount(minor, 'INR');
  const parse = (typed: string, available = 50_000) => parseRefundAmount(typed, 'INR', available, inr);

  it('accepts what people type and converts exactly, without floating point', () => {
    expect(parse('500')).toEqual({ ok: true, minor: 50_000 });
    expect(parse('100.5')).toEqual({ ok: true, minor: 10_050 });
    expect(parse(' ₹ 1,00.05 ')).toEqual({ ok: true, minor: 10_005 });
    expect(parse('0.29')).toEqual({ ok: true, minor: 29 });
    expect(parse('.5')).toMatchObject({ ok: false });
  });

  it('explains what is wrong', () => {
    expect(parse('')).toEqual({ ok: false, message: 'Enter the amount to refund.' });
    expect(parse('abc')).toMatchObject({ ok: false, message: expect.stringContaining('as a number') });
    expect(parse('-5')).toMatchObject({ ok: false });
    expect(parse('0')).toEqual({ ok: false, message: 'Enter an amount greater than zero.' });
    expect(parse('1.234')).toEqual({ ok: false, message: 'Use at most 2 decimal places.' });
    expect(parse('500.01')).toEqual({ ok: false, message: 'At most ₹500.00 can be refunded.' });
    expect(parseRefundAmount('1.5', 'JPY', 1000, String)).toEqual({
      ok: false,
      message: 'Enter a whole amount.',
    });
  });

  it('shows minor units as the major amount an input starts with', () => {
    expect(toMajorText(39_850, 'INR')).toBe('398.50');
    expect(toMajorText(5, 'INR')).toBe('0.05');
    expect(toMajorText(1200, 'JPY')).toBe('1200');
  });
});

describe('the overview numbers', () => {
  it('formats the total per currency and the success rate', () => {
    expect(totalAmount([])).toBe('₹0.00');
    expect(totalAmount([{ currency: 'INR', amount: 199_900 }])).toBe('₹1,999.00');
    expect(
      totalAmount([
        { currency: 'INR', amount: 100 },
        { currency: 'USD', amount: 250 },
      ]),
    ).toMatch(/^₹1.00 \+ (US)?\$2.50$/);
    expect(successRate(100)).toBe('100%');
    expect(successRate(66.7)).toBe('66.7%');
    expect(successRate(0)).toBe('0%');
  });

  it('fills every day of the chart window, today included', () => {
    const now = new Date('2024-03-10T15:00:00Z');
    expect(windowStart(now, 3).toISOString()).toBe('2024-03-08T00:00:00.000Z');
    const days = fillDays(
      [{ day: '2024-03-09', payments: 2, successful: 1, failed: 1, amount: 500 }],
      now,
      3,
    );
    expect(days.map((day) => [day.day, day.payments])).toEqual([
      ['2024-03-08', 0],
      ['2024-03-09', 2],
      ['2024-03-10', 0],
    ]);
  });
});

describe('passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the right password', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword('correct horse', first)).toBe(true);
    expect(await verifyPassword('correct horsE', first)).toBe(false);
    expect(await verifyPassword('correct horse', 'bcrypt$whatever')).toBe(false);
    expect(await verifyPassword('correct horse', 'scrypt$x$8$1$c2FsdA$a2V5')).toBe(false);
    expect(await verifyAgainstDecoy('anything')).toBe(false);
  });
});

describe('sessions and request guards', () => {
  it('expires after the idle timeout, capped by the absolute lifetime', () => {
    const start = new Date('2024-01-01T00:00:00Z');
    expect(sessionExpiry(start, start).getTime()).toBe(start.getTime() + SESSION_IDLE_MS);
    const late = new Date(start.getTime() + SESSION_MAX_AGE_MS - 1000);
    expect(sessionExpiry(start, late).getTime()).toBe(start.getTime() + SESSION_MAX_AGE_MS);
  });

  const request = (headers: Record<string, string>, protocol = 'http') =>
    ({ headers: { host: 'localhost:3000', ...headers }, protocol }) as unknown as FastifyRequest;

  it('accepts only the dashboard’s own origin on state changes', () => {
    const publicUrl = 'http://localhost:8000';
    expect(comesFromOwnOrigin(request({ origin: 'http://localhost:3000' }), publicUrl)).toBe(true);
    expect(comesFromOwnOrigin(request({ origin: 'http://localhost:8000' }), publicUrl)).toBe(true);
    expect(comesFromOwnOrigin(request({ origin: 'http://localhost:3001' }), publicUrl)).toBe(false);
    expect(comesFromOwnOrigin(request({ origin: 'null' }), publicUrl)).toBe(false);
    expect(comesFromOwnOrigin(request({ 'sec-fetch-site': 'same-site' }), publicUrl)).toBe(false);
    expect(comesFromOwnOrigin(request({ 'sec-fetch-site': 'same-origin' }), publicUrl)).toBe(true);
    expect(comesFromOwnOrigin(request({}), publicUrl)).toBe(true);
    expect(changesState('GET')).toBe(false);
    expect(changesState('post')).toBe(true);
    expect(carriesCsrfToken(request({ 'x-csrf-token': 'abc' }), 'abc')).toBe(true);
    expect(carriesCsrfToken(request({ 'x-csrf-token': 'abd' }), 'abc')).toBe(false);
    expect(carriesCsrfToken(request({}), 'abc')).toBe(false);
  });

  it('returns after sign-in only to a dashboard path of this site', () => {
    expect(safeNext('/dashboard/webhooks?status=failed')).toBe('/dashboard/webhooks?status=failed');
    expect(safeNext('/dashboard')).toBe('/dashboard');
    for (const bad of [
      '//evil.example/dashboard',
      'https://evil.example',
      '/\\evil.example',
      '/login',
      '',
      undefined,
    ]) {
      expect(safeNext(bad), String(bad)).toBeNull();
    }
  });
});

describe('server-side HTML', () => {
  it('escapes every value unless it is HTML built here', () => {
    const name = '<img src=x onerror=alert(1)>';
    expect(html`<p>${name}</p>`.text).toBe('<p>&#60;img src=x onerror=alert(1)&#62;</p>');
    expect(html`<p title="${'"quoted"'}">${[html`<b>a</b>`, 'b&c', null, false, 3]}</p>`.text).toBe(
      '<p title="&#34;quoted&#34;"><b>a</b>b&#38;c3</p>',
    );
    expect(html`${trusted('<hr>')}`.text).toBe('<hr>');
    expect(attrs({ id: 'x', hidden: true, disabled: false, title: null, 'data-n': 2 }).text).toBe(
      ' id="x" hidden data-n="2"',
    );
  });

  it('paginates with previous/next links only where there are pages', () => {
    expect(pageNumber('3')).toBe(3);
    expect(pageNumber('0')).toBe(1);
    expect(pageNumber('x')).toBe(1);
    const middle = pagination({ total: 45, limit: 20, offset: 20 }, (page) => `?page=${page}`, 'Pages').text;
    expect(middle).toContain('Showing 21–40 of 45');
    expect(middle).toContain('href="?page=1"');
    expect(middle).toContain('href="?page=3"');
    const only = pagination({ total: 5, limit: 20, offset: 0 }, (page) => `?page=${page}`, 'Pages').text;
    expect(only).not.toContain('href=');
    expect(pagination({ total: 0, limit: 20, offset: 0 }, String, 'Pages').text).toBe('');
  });
});

describe('the API reference', () => {
  it('describes schema types in words', () => {
    expect(describeType({ type: 'string', format: 'date-time' })).toBe('string (date-time)');
    expect(
      describeType({
        anyOf: [
          { type: 'string', enum: ['upi'] },
          { type: 'string', enum: ['card'] },
        ],
      }),
    ).toBe('"upi" | "card"');
    expect(describeType({ type: 'string', nullable: true })).toBe('string | null');
    expect(describeType({ type: 'array', items: { type: 'object' } })).toBe('array of object');
  });

  it('flattens nested objects and arrays into field rows', () => {
    const rows = fieldRows({
      type: 'object',
      required: ['data'],
      properties: {
        data: {
          type: 'array',
          items: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 20 } } },
        },
        card: { type: 'object', properties: { number: { type: 'string', example: '4111' } } },
      },
    });
    expect(rows).toEqual([
      { name: 'data', type: 'array of object', required: 'yes', rules: [] },
      { name: 'data[].id', type: 'string', required: 'yes', rules: ['max length 20'] },
      { name: 'card', type: 'object', required: 'no', rules: [] },
      { name: 'card.number', type: 'string', required: 'no', rules: ['e.g. "4111"'] },
    ]);
  });

  it('says which fields a method needs, and that a field is required only within its optional parent', () => {
    const rows = fieldRows({
      type: 'object',
      required: ['method'],
      properties: {
        method: { enum: ['upi', 'card'] },
        vpa: { type: 'string', description: 'Required when method is upi' },
        card: {
          type: 'object',
          description: 'Required when method is card',
          required: ['number'],
          properties: { number: { type: 'string' } },
        },
      },
    });
    expect(rows.map((row) => [row.name, row.required])).toEqual([
      ['method', 'yes'],
      ['vpa', 'if method is "upi"'],
      ['card', 'if method is "card"'],
      ['card.number', 'yes, in card'],
    ]);
  });
});

describe('docs snippets', () => {
  const values = {
    apiUrl: 'http://localhost:8000/',
    checkoutUrl: 'http://localhost:3001',
    apiKey: 'key_test_k',
  };

  it('print the secret only when given one, else read it from the environment', () => {
    expect(createOrderSnippet({ ...values, apiSecret: 'secret_test_s' })).toContain(
      'X-Api-Secret: secret_test_s',
    );
    const placeholder = createOrderSnippet({ ...values, apiSecret: null });
    expect(placeholder).toContain('X-Api-Secret: $GATEWAY_API_SECRET');
    expect(placeholder).toContain('curl -X POST http://localhost:8000/api/v1/orders');
    expect(sdkSnippet({ ...values, apiSecret: null })).toContain(
      '<script src="http://localhost:3001/checkout.js">',
    );
    expect(sdkSnippet({ ...values, apiSecret: 'secret_test_s' })).not.toContain('secret_test_s');
  });
});
