import { describe, expect, it } from 'vitest';
import {
  curlExample,
  exampleBody,
  exampleOf,
  resourceOfPath,
  responseExample,
  SECRET_PLACEHOLDER,
} from '../../src/dashboard/openapi-examples.js';
import type { Operation } from '../../src/dashboard/openapi-types.js';

const credentials = { apiUrl: 'http://localhost:8000/', apiKey: 'key_test_k', apiSecret: null };

const paymentBody = {
  type: 'object',
  required: ['order_id', 'method'],
  properties: {
    order_id: { type: 'string' },
    method: {
      anyOf: [
        { type: 'string', enum: ['upi'] },
        { type: 'string', enum: ['card'] },
      ],
    },
    vpa: { type: 'string', description: 'Required when method is upi', examples: ['user@paytm'] },
    card: {
      type: 'object',
      description: 'Required when method is card',
      properties: { number: { type: 'string' } },
    },
    amount: { type: 'integer', description: "The order's amount; refused when it differs" },
  },
};

const createPayment: Operation = {
  security: [{ apiKey: [], apiSecret: [] }],
  parameters: [{ name: 'idempotency-key', in: 'header' }],
  requestBody: { content: { 'application/json': { schema: paymentBody } } },
  responses: {
    '201': {
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              order_id: { type: 'string' },
              amount: { type: 'integer' },
              created_at: { type: 'string', format: 'date-time' },
              error_code: { anyOf: [{ type: 'string' }, { type: 'null' }] },
            },
          },
        },
      },
    },
    '400': { content: { 'application/json': { schema: { type: 'object', properties: { error: {} } } } } },
  },
};

describe('examples made from the OpenAPI schemas', () => {
  it('prefers a declared example, then what the field name means, then the type', () => {
    expect(exampleOf({ type: 'string', examples: ['INR'] }, 'currency')).toBe('INR');
    expect(exampleOf({ type: 'integer' }, 'amount')).toBe(50_000);
    expect(exampleOf({ type: 'string' }, 'order_id')).toMatch(/^order_[A-Za-z0-9]{16}$/);
    expect(exampleOf({ type: 'string' }, 'id', 'refund')).toMatch(/^rfnd_/);
    expect(exampleOf({ type: 'string', format: 'date-time' }, 'created_at')).toBe('2024-01-15T10:31:00.000Z');
    expect(exampleOf({ type: 'integer', minimum: 5 }, 'count')).toBe(5);
    expect(exampleOf({ type: 'array', items: { type: 'string' } }, 'tags')).toEqual(['tags']);
  });

  it('names the resource a path answers with: the last collection in it', () => {
    expect(resourceOfPath('/api/v1/payments/{id}/refunds')).toBe('refund');
    expect(resourceOfPath('/api/v1/payments/{id}/capture')).toBe('payment');
    expect(resourceOfPath('/api/v1/webhook_endpoints/{id}/secret/rotate')).toBe('endpoint');
    expect(resourceOfPath('/health')).toBeUndefined();
  });

  it('builds a body with the required fields and only the conditional ones that apply', () => {
    expect(exampleBody(paymentBody)).toEqual({
      order_id: expect.stringMatching(/^order_/),
      method: 'upi',
      vpa: 'user@paytm',
    });
  });

  it('writes a curl line with the headers the operation takes', () => {
    const curl = curlExample('post', '/api/v1/payments', createPayment, credentials);
    expect(curl.split(' \\\n  ')).toEqual([
      'curl -X POST http://localhost:8000/api/v1/payments',
      '-H "X-Api-Key: key_test_k"',
      `-H "X-Api-Secret: ${SECRET_PLACEHOLDER}"`,
      expect.stringMatching(/^-H "Idempotency-Key: [0-9a-f-]{36}"$/),
      '-H "Content-Type: application/json"',
      expect.stringContaining('"method": "upi"'),
    ]);
    const get = curlExample(
      'get',
      '/api/v1/refunds/{id}',
      { security: [{ apiKey: [] }] },
      {
        ...credentials,
        apiSecret: 'secret_test_xyz789',
      },
    );
    expect(get).toMatch(/^curl http:\/\/localhost:8000\/api\/v1\/refunds\/rfnd_[A-Za-z0-9]{16} \\/);
    expect(get).toContain('X-Api-Secret: secret_test_xyz789');
    expect(curlExample('get', '/health', {}, credentials)).toBe('curl http://localhost:8000/health');
  });

  it('quotes a body for the shell, whatever it contains', () => {
    const op: Operation = {
      requestBody: {
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['reason'],
              properties: { reason: { type: 'string', examples: ["it's"] } },
            },
          },
        },
      },
    };
    expect(curlExample('post', '/x', op, credentials)).toContain(`-d '{\n    "reason": "it'\\''s"\n  }'`);
  });

  it('answers with the first success response, null where a field is empty', () => {
    const answer = responseExample('/api/v1/payments', createPayment);
    expect(answer?.status).toBe('201');
    expect(JSON.parse(answer?.body ?? '')).toEqual({
      id: expect.stringMatching(/^pay_/),
      order_id: expect.stringMatching(/^order_/),
      amount: 50_000,
      created_at: '2024-01-15T10:31:00.000Z',
      error_code: null,
    });
  });
});
