import { describe, expect, it } from 'vitest';
import { PaymentGatewayError, validateOptions } from '../../web/sdk/options.js';

describe('SDK option validation', () => {
  const valid = { key: 'key_test_abc123', orderId: 'order_9A33XWu170gUtm4v' };

  it('accepts the documented options and trims the strings', () => {
    const onSuccess = () => undefined;
    const options = validateOptions({ key: ' key_test_abc123 ', orderId: valid.orderId, onSuccess });
    expect(options).toMatchObject({ key: 'key_test_abc123', orderId: valid.orderId, onSuccess });
    expect(options.onFailure).toBeUndefined();
    expect(options.onClose).toBeUndefined();
  });

  it.each([
    [undefined, /expected an options object/],
    [null, /expected an options object/],
    ['order_x', /expected an options object/],
    [[valid], /expected an options object/],
    [{ orderId: valid.orderId }, /option "key" is required: your publishable API key/],
    [{ key: valid.key }, /option "orderId" is required: the id of an order your server created/],
    [{ ...valid, key: '' }, /option "key" must be a non-empty string.*\(got ""\)/],
    [{ ...valid, key: '   ' }, /option "key" must be a non-empty string/],
    [{ ...valid, orderId: 42 }, /option "orderId" must be a non-empty string.*\(got number\)/],
    [{ ...valid, orderId: null }, /option "orderId" is required/],
    [{ ...valid, onSuccess: 'done' }, /option "onSuccess" must be a function \(got "done"\)/],
    [{ ...valid, onFailure: {} }, /option "onFailure" must be a function \(got object\)/],
    [{ ...valid, onClose: [] }, /option "onClose" must be a function \(got an array\)/],
  ])('rejects %j with a message that says what to fix', (options, message) => {
    expect(() => validateOptions(options)).toThrow(PaymentGatewayError);
    expect(() => validateOptions(options)).toThrow(message);
  });

  it('prefixes every message with the SDK name', () => {
    expect(() => validateOptions({})).toThrow(/^PaymentGateway: /);
  });
});
