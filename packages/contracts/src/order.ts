import * as z from 'zod/mini';
import { SagaError } from './errors.js';
import { identifier, singleLineText } from './text.js';

/**
 * Currencies the shop sells in: ISO-4217 codes, lowercase as Stripe writes them.
 * Amounts are integers in the currency's minor unit (cents; yen for the zero-decimal `jpy`).
 */
export const Currencies = ['usd', 'eur', 'gbp', 'chf', 'sek', 'nok', 'dkk', 'pln', 'czk', 'cad', 'aud', 'jpy'] as const;

/** An allow-listed currency. */
export const CurrencySchema = z.enum(Currencies);
export type Currency = z.infer<typeof CurrencySchema>;

/** The officially assigned ISO-3166-1 alpha-2 country codes (249; user-assigned codes such as `XK` excluded). */
export const CountryCodes = [
  ...['AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ'],
  ...['BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ'],
  ...['CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ'],
  ...['DE', 'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR'],
  ...['GA', 'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY'],
  ...['HK', 'HM', 'HN', 'HR', 'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM', 'JO', 'JP'],
  ...['KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY'],
  ...['MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ'],
  ...['NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY'],
  ...['QA', 'RE', 'RO', 'RS', 'RU', 'RW', 'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV', 'SX', 'SY', 'SZ'],
  ...['TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW', 'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ'],
  ...['VA', 'VC', 'VE', 'VG', 'VI', 'VN', 'VU', 'WF', 'WS', 'YE', 'YT', 'ZA', 'ZM', 'ZW'],
] as const;

/** An ISO-3166-1 alpha-2 country code, uppercase (`GB`, `DE`). */
export const CountryCodeSchema = z.enum(CountryCodes);
export type CountryCode = z.infer<typeof CountryCodeSchema>;

/** Limits of an order, chosen from the systems it flows through. */
export const OrderLimits = {
  /** Step Functions execution names (`name = orderId`) allow 80; idempotency keys append suffixes. */
  orderIdLength: 64,
  /** DynamoDB TransactWriteItems takes at most 100 items; ReserveStock writes one per line. */
  lines: 100,
  quantity: 1_000,
  /** Stripe's largest amount for most currencies (8 digits in the minor unit). */
  total: 99_999_999,
} as const;

/**
 * What an order id looks like: letters, digits, `_` and `-`, at most `OrderLimits.orderIdLength`. The
 * workflow's input check uses it too, before anything keyed by the order id (a DynamoDB key) runs.
 */
export const ORDER_ID_PATTERN = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_-]{0,${OrderLimits.orderIdLength - 1}}$`);

/** An order id: letters, digits, `_` and `-`; also the Step Functions execution name. */
export const OrderIdSchema = z.string().check(z.regex(ORDER_ID_PATTERN, 'order_id'));
export type OrderId = z.infer<typeof OrderIdSchema>;

/** A stock-keeping unit code. */
export const SkuSchema = identifier(64);

/** A postal address the carrier can deliver to. */
export const ShippingAddressSchema = z.strictObject({
  line1: singleLineText(200),
  line2: z.optional(singleLineText(200)),
  city: singleLineText(100),
  postalCode: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9 -]{0,15}$/, 'postal_code')),
  country: CountryCodeSchema,
});
export type ShippingAddress = z.infer<typeof ShippingAddressSchema>;

/** The customer placing the order. Everything here but `id` is personal data. */
export const CustomerSchema = z.strictObject({
  id: identifier(64),
  name: singleLineText(200),
  email: z.email().check(z.maxLength(254)),
  /** E.164, e.g. `+447700900123`. */
  phone: z.optional(z.string().check(z.regex(/^\+[1-9][0-9]{6,14}$/, 'e164'))),
  shippingAddress: ShippingAddressSchema,
});
export type Customer = z.infer<typeof CustomerSchema>;

/** One order line. `unitPrice` is in the order currency's minor unit. */
export const OrderLineSchema = z.strictObject({
  sku: SkuSchema,
  quantity: z.int().check(z.gte(1), z.lte(OrderLimits.quantity)),
  unitPrice: z.int().check(z.gte(0), z.lte(OrderLimits.total)),
});
export type OrderLine = z.infer<typeof OrderLineSchema>;

/** How the customer pays: a Stripe PaymentMethod id (`pm_...`). */
export const PaymentDetailsSchema = z.strictObject({
  paymentMethodId: z.string().check(z.regex(/^pm_[A-Za-z0-9_]{1,252}$/, 'stripe_payment_method')),
});
export type PaymentDetails = z.infer<typeof PaymentDetailsSchema>;

/**
 * The saga's input (StartExecution `input`). Objects are strict: unknown fields are rejected.
 * Beyond the field rules, SKUs are unique across lines (one DynamoDB transaction item per SKU) and the
 * total is between 1 and {@link OrderLimits.total}.
 */
export const OrderSchema = z
  .strictObject({
    orderId: OrderIdSchema,
    customer: CustomerSchema,
    lines: z.array(OrderLineSchema).check(z.minLength(1), z.maxLength(OrderLimits.lines)),
    currency: CurrencySchema,
    payment: PaymentDetailsSchema,
  })
  .check(
    z.superRefine((order, ctx) => {
      const seen = new Set<string>();
      order.lines.forEach((line, index) => {
        if (seen.has(line.sku)) {
          ctx.addIssue({ code: 'custom', path: ['lines', index, 'sku'], message: 'unique_sku' });
        }
        seen.add(line.sku);
      });
      const total = orderTotal(order);
      if (order.lines.length > 0 && (total < 1 || total > OrderLimits.total)) {
        ctx.addIssue({ code: 'custom', path: ['lines'], message: 'order_total' });
      }
    }),
  );
export type Order = z.infer<typeof OrderSchema>;

/** The amount to charge: the sum of `quantity * unitPrice`, in the currency's minor unit. */
export function orderTotal(order: Pick<Order, 'lines'>): number {
  return order.lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
}

/** One validation failure, without the offending value: safe to log and to put in an error `Cause`. */
export interface ContractIssue {
  /** Where, e.g. `customer.shippingAddress.country` or `lines[2].quantity`. */
  readonly path: string;
  /** The zod issue code, e.g. `invalid_type`, `too_small`, `unrecognized_keys`. */
  readonly code: string;
  /** What the schema expected (never what it received), e.g. `expected number`, `minimum 1`. */
  readonly detail?: string;
}

/** Thrown when an order (or a step input) breaks its contract. Its `name` is the ASL error `InvalidOrder`. */
export class InvalidOrderError extends SagaError<'InvalidOrder'> {
  /** The failures, PII-free. */
  readonly issues: readonly ContractIssue[];

  constructor(issues: readonly ContractIssue[]) {
    super('InvalidOrder', formatContractIssues(issues));
    this.issues = issues;
  }

  /** Builds the error from a zod error, keeping only paths, codes and schema facts. */
  static fromZodError(error: z.core.$ZodError): InvalidOrderError {
    return new InvalidOrderError(contractIssues(error));
  }
}

/**
 * Parses the saga input.
 * @throws {InvalidOrderError} with a PII-free message naming the paths and codes of every failure.
 */
export function parseOrder(input: unknown): Order {
  const result = safeParseOrder(input);
  if (!result.ok) throw result.error;
  return result.order;
}

/** The result of {@link safeParseOrder}. */
export type ParseOrderResult = { readonly ok: true; readonly order: Order } | { readonly ok: false; readonly error: InvalidOrderError };

/** Parses the saga input without throwing. */
export function safeParseOrder(input: unknown): ParseOrderResult {
  const result = OrderSchema.safeParse(input);
  return result.success ? { ok: true, order: result.data } : { ok: false, error: InvalidOrderError.fromZodError(result.error) };
}

/** Converts zod issues to PII-free {@link ContractIssue}s: the inputs are never read. */
export function contractIssues(error: z.core.$ZodError): ContractIssue[] {
  return error.issues.map((issue) => {
    const detail = issueDetail(issue);
    const path = formatPath(issue.path);
    return detail === undefined ? { path, code: issue.code } : { path, code: issue.code, detail };
  });
}

const MAX_LISTED_ISSUES = 10;

/** `Invalid order: 2 issues: customer.email invalid_format (email); lines[0].quantity too_small (minimum 1)`. */
export function formatContractIssues(issues: readonly ContractIssue[]): string {
  const listed = issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((i) => `${i.path} ${i.code}${i.detail === undefined ? '' : ` (${i.detail})`}`)
    .join('; ');
  const more = issues.length > MAX_LISTED_ISSUES ? `; and ${issues.length - MAX_LISTED_ISSUES} more` : '';
  return `Invalid order: ${issues.length} issue${issues.length === 1 ? '' : 's'}: ${listed}${more}`;
}

/** A key is shown only when it looks like a field name; anything else could be data. */
const SAFE_KEY = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/;

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = typeof key === 'string' && SAFE_KEY.test(key) ? key : '<key>';
      return index === 0 ? name : `.${name}`;
    })
    .join('');
}

function issueDetail(issue: z.core.$ZodIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_small':
      return `${issue.origin} minimum ${String(issue.minimum)}`;
    case 'too_big':
      return `${issue.origin} maximum ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'regex' ? (ruleOf(issue) ?? 'pattern') : issue.format;
    case 'invalid_value':
      return 'not an allowed value';
    case 'unrecognized_keys':
      return `unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((k) => (SAFE_KEY.test(k) ? k : '<key>')).join(', ')}`;
    case 'not_multiple_of':
      return `multiple of ${issue.divisor}`;
    case 'custom':
      return ruleOf(issue);
    default:
      return undefined;
  }
}

/**
 * The contract schemas name their pattern and custom rules with a snake_case id as the issue message
 * (`no_control_characters`, `unique_sku`). Any other message is not ours and is left out.
 */
const RULE_ID = /^[a-z][a-z0-9_]{0,63}$/;

function ruleOf(issue: z.core.$ZodIssue): string | undefined {
  return RULE_ID.test(issue.message) ? issue.message : undefined;
}
