import { ConfigError } from '@saga/lambda-kit/config';
import { describe, expect, it } from 'vitest';
import { BookShipmentDefaults, parseBookShipmentConfig, shipmentsUrl } from './config.js';

describe('parseBookShipmentConfig', () => {
  it('reads the URL, the timeout and the key', () => {
    const config = parseBookShipmentConfig({ CARRIER_API_URL: 'https://api.carrier.test', CARRIER_TIMEOUT_MS: '2500', CARRIER_API_KEY: 'k_123' });
    expect(String(config.carrierApiUrl)).toBe('https://api.carrier.test/');
    expect(config.timeoutMs).toBe(2500);
    expect(config.apiKey).toBe('k_123');
  });

  it('defaults the timeout and leaves the key out', () => {
    const config = parseBookShipmentConfig({ CARRIER_API_URL: 'http://127.0.0.1:4010', CARRIER_API_KEY: '' });
    expect(config.timeoutMs).toBe(BookShipmentDefaults.timeoutMs);
    expect(config).not.toHaveProperty('apiKey');
  });

  it.each([
    [{}, /CARRIER_API_URL is not set: the carrier API base URL/],
    [{ CARRIER_API_URL: '  ' }, /CARRIER_API_URL is not set/],
    [{ CARRIER_API_URL: 'carrier' }, /CARRIER_API_URL is not a URL/],
    [{ CARRIER_API_URL: 'ftp://carrier.test' }, /must be http or https/],
    [{ CARRIER_API_URL: 'https://u:p@carrier.test' }, /must not carry credentials/],
    [{ CARRIER_API_URL: 'https://carrier.test?x=1' }, /query or fragment/],
    [{ CARRIER_API_URL: 'https://carrier.test', CARRIER_TIMEOUT_MS: '5s' }, /CARRIER_TIMEOUT_MS must be an integer/],
    [{ CARRIER_API_URL: 'https://carrier.test', CARRIER_TIMEOUT_MS: '99' }, /between 100 and 60000, got 99/],
    [{ CARRIER_API_URL: 'https://carrier.test', CARRIER_TIMEOUT_MS: '60001' }, /between 100 and 60000/],
    [{ CARRIER_API_URL: 'https://carrier.test', CARRIER_API_KEY: 'has space' }, /CARRIER_API_KEY is not a key of 1-512 printable ASCII characters without spaces/],
  ])('rejects %j precisely', (env, message) => {
    expect(() => parseBookShipmentConfig(env)).toThrow(message);
    expect(() => parseBookShipmentConfig(env)).toThrow(ConfigError);
  });

  it('never echoes the API key or the URL', () => {
    expect(() => parseBookShipmentConfig({ CARRIER_API_URL: 'https://carrier.test', CARRIER_API_KEY: 'secret value' })).toThrow(ConfigError);
    try {
      parseBookShipmentConfig({ CARRIER_API_URL: 'https://user:hunter2@carrier.test', CARRIER_API_KEY: 'secret value' });
    } catch (error) {
      expect((error as Error).message).not.toMatch(/secret|hunter2/);
    }
  });

  it('names every problem at once', () => {
    expect(() => parseBookShipmentConfig({ CARRIER_TIMEOUT_MS: '5s', CARRIER_API_KEY: 'has space' })).toThrow(
      'book-shipment configuration: CARRIER_API_URL is not set: the carrier API base URL, e.g. https://api.carrier.example; ' +
        'CARRIER_TIMEOUT_MS must be an integer number of milliseconds, got "5s"; CARRIER_API_KEY is not a key of 1-512 printable ASCII characters without spaces',
    );
  });
});

describe('shipmentsUrl', () => {
  it.each([
    ['https://carrier.test', 'https://carrier.test/v1/shipments'],
    ['https://carrier.test/', 'https://carrier.test/v1/shipments'],
    ['https://carrier.test/api', 'https://carrier.test/api/v1/shipments'],
    ['http://127.0.0.1:4010/base/', 'http://127.0.0.1:4010/base/v1/shipments'],
  ])('%s → %s', (base, expected) => {
    expect(String(shipmentsUrl(new URL(base)))).toBe(expected);
  });
});
