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

/** A configuration error: the function cannot start. The message names the variable and what it expects. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment:
 * - `CARRIER_API_URL` (required): `http(s)://host[:port][/base]`;
 * - `CARRIER_TIMEOUT_MS` (optional, integer 100–60000, default 5000);
 * - `CARRIER_API_KEY` (optional).
 *
 * @throws {ConfigError} naming the variable and the rule it breaks (never echoing the API key).
 */
export function parseBookShipmentConfig(env: Readonly<Record<string, string | undefined>>): BookShipmentConfig {
  const rawUrl = env['CARRIER_API_URL']?.trim();
  if (!rawUrl) throw new ConfigError('CARRIER_API_URL is required: the carrier API base URL, e.g. https://api.carrier.example');
  let carrierApiUrl: URL;
  try {
    carrierApiUrl = new URL(rawUrl);
  } catch {
    throw new ConfigError(`CARRIER_API_URL is not a URL: ${JSON.stringify(rawUrl)}`);
  }
  if (carrierApiUrl.protocol !== 'http:' && carrierApiUrl.protocol !== 'https:') {
    throw new ConfigError(`CARRIER_API_URL must be http or https, got ${carrierApiUrl.protocol}`);
  }
  if (carrierApiUrl.username || carrierApiUrl.password) {
    throw new ConfigError('CARRIER_API_URL must not carry credentials; use CARRIER_API_KEY');
  }
  if (carrierApiUrl.search || carrierApiUrl.hash) throw new ConfigError('CARRIER_API_URL must not have a query or fragment');

  const rawTimeout = env['CARRIER_TIMEOUT_MS']?.trim();
  let timeoutMs: number = BookShipmentDefaults.timeoutMs;
  if (rawTimeout) {
    if (!/^\d+$/.test(rawTimeout)) throw new ConfigError(`CARRIER_TIMEOUT_MS must be an integer number of milliseconds, got ${JSON.stringify(rawTimeout)}`);
    timeoutMs = Number(rawTimeout);
    if (timeoutMs < 100 || timeoutMs > 60_000) throw new ConfigError(`CARRIER_TIMEOUT_MS must be between 100 and 60000, got ${timeoutMs}`);
  }

  const apiKey = env['CARRIER_API_KEY']?.trim();
  if (apiKey !== undefined && apiKey.length > 0 && !/^[\x21-\x7e]{1,512}$/.test(apiKey)) {
    throw new ConfigError('CARRIER_API_KEY must be 1-512 printable ASCII characters without spaces');
  }
  return { carrierApiUrl, timeoutMs, ...(apiKey ? { apiKey } : {}) };
}

/** `<base>/v1/shipments`, keeping any base path (`https://x/carrier` → `https://x/carrier/v1/shipments`). */
export function shipmentsUrl(base: URL): URL {
  const path = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return new URL(`${path}v1/shipments`, base);
}
