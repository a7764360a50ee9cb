/** The process environment, or a stand-in for it in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Thrown at cold start when the environment is incomplete or malformed. The message is
 * `<service> configuration: <problem>; <problem>...`, one problem per variable, each naming the variable
 * and the rule it breaks. Values are never echoed, except integers that fail to parse (they are no secrets).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    message: string,
    /** Every problem found, in the order the variables were read. */
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
  }
}

/** What a string setting must look like: a pattern, and what it is for the message (`X is not <what>`). */
export interface ValueRule {
  readonly pattern: RegExp;
  /** With its article: `a DynamoDB table name or ARN`. */
  readonly what: string;
}

/** A DynamoDB table name (3–255 of `a-zA-Z0-9_.-`) or a table ARN. */
export const DynamoTableName: ValueRule = {
  pattern: /^(?:[A-Za-z0-9_.-]{3,255}|arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255})$/,
  what: 'a DynamoDB table name or ARN',
};

/** An EventBridge event bus name (1–256 of `A-Za-z0-9._-/`) or an event bus ARN. */
export const EventBusName: ValueRule = {
  pattern: /^(?:[A-Za-z0-9._\-/]{1,256}|arn:aws[a-z-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[A-Za-z0-9._\-/]{1,256})$/,
  what: 'an event bus name or ARN',
};

/** An AWS region name, e.g. `eu-west-1`. */
export const AwsRegionName: ValueRule = { pattern: /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/, what: 'a region name' };

/** Options of {@link EnvReader.integer}. */
export interface IntegerOptions {
  /** Used when the variable is unset or blank. */
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** For the message: `must be an integer number of <unit>`. */
  readonly unit?: string;
}

/** Options of {@link EnvReader.url}. */
export interface UrlOptions {
  /** @default false */
  readonly required?: boolean;
  /** Appended to the "is not set" problem of a required URL, e.g. `the carrier API base URL`. */
  readonly hint?: string;
  /** Reject `user:password@`. @default false */
  readonly noCredentials?: boolean;
  /** Reject `?query` and `#fragment`. @default false */
  readonly noQuery?: boolean;
  /** Reject a path other than `/`. @default false */
  readonly noPath?: boolean;
}

/**
 * Reads variables and collects every problem instead of stopping at the first, so one failed cold start
 * reports everything that is wrong. Values are trimmed; blank counts as unset. Read through
 * {@link readConfig}, which throws when anything was wrong.
 */
export class EnvReader {
  readonly #env: Env;
  readonly #problems: string[] = [];

  constructor(env: Env) {
    this.#env = env;
  }

  /** The problems found so far. */
  get problems(): readonly string[] {
    return this.#problems;
  }

  /** Records a problem the typed readers cannot express (e.g. "set A or B"). */
  problem(message: string): void {
    this.#problems.push(message);
  }

  /** The trimmed value, or `undefined` when unset or blank. No rule. */
  raw(name: string): string | undefined {
    const value = this.#env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** A required string; `X is not set` / `X is not <rule.what>`. Returns `''` after a problem. */
  required(name: string, rule?: ValueRule, hint?: string): string {
    const value = this.raw(name);
    if (value === undefined) {
      this.problem(`${name} is not set${hint === undefined ? '' : `: ${hint}`}`);
      return '';
    }
    return this.#check(name, value, rule) ?? '';
  }

  /** An optional string: `undefined` when unset or blank, or after a problem. */
  optional(name: string, rule?: ValueRule): string | undefined {
    const value = this.raw(name);
    return value === undefined ? undefined : this.#check(name, value, rule);
  }

  /** A decimal integer within `[min, max]`, or the default when unset. */
  integer(name: string, options: IntegerOptions): number {
    const value = this.raw(name);
    if (value === undefined) return options.default;
    if (!/^\d+$/.test(value)) {
      const unit = options.unit === undefined ? '' : ` number of ${options.unit}`;
      this.problem(`${name} must be an integer${unit}, got ${JSON.stringify(value.slice(0, 32))}`);
      return options.default;
    }
    const number = Number(value);
    if (number < options.min || number > options.max) {
      this.problem(`${name} must be between ${options.min} and ${options.max}, got ${number}`);
      return options.default;
    }
    return number;
  }

  /**
   * An http(s) URL (never echoed: it may carry credentials). A required URL that is missing or invalid
   * reads as `http://invalid.invalid/`, which {@link readConfig} never returns (it throws).
   */
  url(name: string, options: UrlOptions & { readonly required: true }): URL;
  url(name: string, options?: UrlOptions): URL | undefined;
  url(name: string, options: UrlOptions = {}): URL | undefined {
    const url = this.#url(name, options);
    return url === undefined && options.required === true ? new URL('http://invalid.invalid/') : url;
  }

  /**
   * An AWS SDK endpoint override (`AWS_ENDPOINT_URL_<SERVICE>`): an optional http(s) URL, as the string
   * the SDK clients take. The AWS service's own endpoint when unset.
   */
  endpoint(name: string): string | undefined {
    return this.url(name) === undefined ? undefined : this.raw(name);
  }

  #url(name: string, options: UrlOptions): URL | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      if (options.required === true) this.problem(`${name} is not set${options.hint === undefined ? '' : `: ${options.hint}`}`);
      return undefined;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      this.problem(`${name} is not a URL`);
      return undefined;
    }
    let problem: string | undefined;
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problem = `must be http or https, got ${url.protocol}`;
    else if (options.noCredentials === true && (url.username !== '' || url.password !== '')) problem = 'must not carry credentials';
    else if (options.noQuery === true && (url.search !== '' || url.hash !== '')) problem = 'must not have a query or fragment';
    else if (options.noPath === true && url.pathname !== '/' && url.pathname !== '') problem = 'must not have a path';
    if (problem === undefined) return url;
    this.problem(`${name} ${problem}`);
    return undefined;
  }

  #check(name: string, value: string, rule: ValueRule | undefined): string | undefined {
    if (rule === undefined || rule.pattern.test(value)) return value;
    this.problem(`${name} is not ${rule.what}`);
    return undefined;
  }
}

/**
 * Reads a configuration once, at cold start:
 *
 * ```ts
 * const config = readConfig('reserve-stock', process.env, (env) => ({
 *   stockTable: env.required('STOCK_TABLE', DynamoTableName),
 *   endpoint: env.endpoint('AWS_ENDPOINT_URL_DYNAMODB'),
 * }));
 * ```
 *
 * @throws {ConfigError} `<service> configuration: <every problem>`, after `read` has read every variable.
 */
export function readConfig<T>(service: string, env: Env, read: (env: EnvReader) => T): T {
  const reader = new EnvReader(env);
  const config = read(reader);
  if (reader.problems.length > 0) throw new ConfigError(`${service} configuration: ${reader.problems.join('; ')}`, reader.problems);
  return config;
}
