import { type Env, readConfig } from '@saga/lambda-kit/config';

/** BookShipment configuration, read once from the environment at cold start. */
export interface BookShipmentConfig {
  /** Base URL of the carrier API; the booking goes to `<base>/v1/shipments`. */
  readonly carrierApiUrl: URL;
  /** How long one booking call may take, connection and body included. */
  readonly timeoutMs: number;
  /** Sent as `Authorization: Bearer <key>` when set. */
  readonly apiKey?: string;
}

/** The defaults of the optional settings. */
export const BookShipmentDefaults = {
  /** Keep the Lambda timeout above this (the handler needs a margin to report the timeout as an error). */
  timeoutMs: 5_000,
} as const;

/** A bearer token: printable ASCII without spaces. */
const API_KEY = { pattern: /^[\x21-\x7e]{1,512}$/, what: 'a key of 1-512 printable ASCII characters without spaces' };

/**
 * Parses the environment:
 * - `CARRIER_API_URL` (required): `http(s)://host[:port][/base]`, no credentials, query or fragment;
 * - `CARRIER_TIMEOUT_MS` (optional, integer 100–60000, default 5000);
 * - `CARRIER_API_KEY` (optional).
 *
 * @throws {ConfigError} `book-shipment configuration: ...`, naming each variable and the rule it breaks
 *   (never echoing the URL or the API key).
 */
export function parseBookShipmentConfig(env: Env): BookShipmentConfig {
  return readConfig('book-shipment', env, (e) => {
    const carrierApiUrl = e.url('CARRIER_API_URL', {
      required: true,
      hint: 'the carrier API base URL, e.g. https://api.carrier.example',
      noCredentials: true,
      noQuery: true,
    });
    const timeoutMs = e.integer('CARRIER_TIMEOUT_MS', { default: BookShipmentDefaults.timeoutMs, min: 100, max: 60_000, unit: 'milliseconds' });
    const apiKey = e.optional('CARRIER_API_KEY', API_KEY);
    return { carrierApiUrl, timeoutMs, ...(apiKey !== undefined ? { apiKey } : {}) };
  });
}

/** `<base>/v1/shipments`, keeping any base path (`https://x/carrier` → `https://x/carrier/v1/shipments`). */
export function shipmentsUrl(base: URL): URL {
  const path = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return new URL(`${path}v1/shipments`, base);
}
