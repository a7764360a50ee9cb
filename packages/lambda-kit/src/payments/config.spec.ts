import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadPaymentConfig, parseStripeApiBase } from './config.js';

const base = { STRIPE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe-AbCdEf' };

describe('loadPaymentConfig', () => {
  it('reads the secret and the defaults; no table (the state machine passes the order record in)', () => {
    expect(loadPaymentConfig({ ...base, ORDERS_TABLE: 'ignored' })).toEqual({
      stripe: { secretArn: base.STRIPE_SECRET_ARN, timeoutMs: 10_000, maxNetworkRetries: 2 },
    });
  });

  it('parses STRIPE_API_BASE and the SDK settings', () => {
    const config = loadPaymentConfig({ ...base, STRIPE_API_BASE: 'http://127.0.0.1:12111', STRIPE_TIMEOUT_MS: '1500', STRIPE_MAX_NETWORK_RETRIES: '0' });
    expect(config.stripe).toMatchObject({ api: { host: '127.0.0.1', port: 12111, protocol: 'http' }, timeoutMs: 1500, maxNetworkRetries: 0 });
  });

  it('accepts a local test key instead of the secret, and refuses live keys there', () => {
    expect(loadPaymentConfig({ STRIPE_SECRET_KEY: 'sk_test_abc' }).stripe.secretKey).toBe('sk_test_abc');
    expect(() => loadPaymentConfig({ STRIPE_SECRET_KEY: 'sk_live_abc' })).toThrow(/test keys only/);
  });

  it.each([
    [{}, /STRIPE_SECRET_ARN is required/],
    [{ STRIPE_SECRET_ARN: ' ' }, /STRIPE_SECRET_ARN is required/],
    [{ ...base, STRIPE_TIMEOUT_MS: 'soon' }, /STRIPE_TIMEOUT_MS must be an integer from 100 to 120000/],
    [{ ...base, STRIPE_MAX_NETWORK_RETRIES: '9' }, /STRIPE_MAX_NETWORK_RETRIES must be an integer from 0 to 5/],
    [{ ...base, STRIPE_API_BASE: 'localhost:12111' }, /STRIPE_API_BASE/],
  ])('rejects %j', (env, message) => {
    expect(() => loadPaymentConfig(env)).toThrow(ConfigurationError);
    expect(() => loadPaymentConfig(env)).toThrow(message);
  });
});

describe('parseStripeApiBase', () => {
  it('splits a base URL into host, port and protocol', () => {
    expect(parseStripeApiBase('https://api.stripe.com')).toEqual({ host: 'api.stripe.com', port: 443, protocol: 'https' });
    expect(parseStripeApiBase('http://stripe.local/')).toEqual({ host: 'stripe.local', port: 80, protocol: 'http' });
    expect(parseStripeApiBase('http://[::1]:8080')).toEqual({ host: '::1', port: 8080, protocol: 'http' });
  });

  it.each(['ftp://x', 'http://x/v1', 'http://u:p@x', 'http://x?y=1', 'nope'])('rejects %s', (value) => {
    expect(() => parseStripeApiBase(value)).toThrow(ConfigurationError);
  });
});
