import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readJsonFile, writeJsonFile } from './json-file.js';
import { canonicalParams, parseStripeForm, StripeFormError, type StripeFormParams } from './stripe-form.js';
import { matchesRequest, StripeFaults, StripeFaultSpecError, type StripeFaultKind, type StripeFaultMatch } from './stripe-faults.js';

export * from './stripe-faults.js';
export { parseStripeForm, encodeStripeForm, canonicalParams, type StripeFormParams, type StripeFormValue } from './stripe-form.js';

/**
 * A local server speaking Stripe's v1 wire format for the PaymentIntent, Refund and Charge endpoints the
 * saga uses, so the official `stripe` SDK works against it unchanged:
 *
 * ```ts
 * const server = await startStripeServer();
 * const stripe = new Stripe(server.apiKey, { ...server.sdkOptions(), maxNetworkRetries: 0 });
 * ```
 *
 * Semantics follow Stripe's documentation: status transitions, card errors (402) with the PaymentIntent
 * embedded, `invalid_request_error`s (400/404), bearer authentication (401), idempotency keys (saved
 * response replayed with `Idempotent-Replayed: true`; a key reused with other parameters is a 400
 * `idempotency_error`; a key still in flight is a 409), test payment methods (`pm_card_visa`,
 * `pm_card_chargeDeclined`, ...). Faults are scripted with {@link StripeServer.faults} or
 * `POST /__admin/faults`; {@link StripeServer.ledger} sums what was authorised, captured, refunded and
 * released per PaymentIntent.
 */

/** The secret key the server accepts unless told otherwise. Test mode only; not a real key. */
export const STRIPE_TEST_SECRET_KEY = 'sk_test_sagaLocal0000000000000000000000';

/** The API version the server reports when the client sends none (the one `stripe@23.1.0` pins). */
export const STRIPE_DEFAULT_API_VERSION = '2026-10-28.endive';

export type PaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

/** What a test payment method does when a PaymentIntent is confirmed with it. */
export interface TestCard {
  brand: string;
  last4: string;
  /** Absent: the authorisation succeeds. */
  decline?: { code: string; declineCode: string; message: string };
}

/**
 * Stripe's test PaymentMethods (https://docs.stripe.com/testing). Any other `pm_...` id answers 400
 * `resource_missing`, as for an unknown PaymentMethod; add more with {@link StripeServerOptions.paymentMethods}.
 */
export const STRIPE_TEST_PAYMENT_METHODS: Readonly<Record<string, TestCard>> = {
  pm_card_visa: { brand: 'visa', last4: '4242' },
  pm_card_visa_debit: { brand: 'visa', last4: '5556' },
  pm_card_mastercard: { brand: 'mastercard', last4: '4444' },
  pm_card_amex: { brand: 'amex', last4: '8431' },
  pm_card_chargeDeclined: {
    brand: 'visa',
    last4: '0002',
    decline: { code: 'card_declined', declineCode: 'generic_decline', message: 'Your card was declined.' },
  },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa',
    last4: '9995',
    decline: { code: 'card_declined', declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  },
  pm_card_chargeDeclinedLostCard: {
    brand: 'visa',
    last4: '9987',
    decline: { code: 'card_declined', declineCode: 'lost_card', message: 'Your card was declined.' },
  },
  pm_card_chargeDeclinedStolenCard: {
    brand: 'visa',
    last4: '9979',
    decline: { code: 'card_declined', declineCode: 'stolen_card', message: 'Your card was declined.' },
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa',
    last4: '0069',
    decline: { code: 'expired_card', declineCode: 'expired_card', message: 'Your card has expired.' },
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: 'visa',
    last4: '0127',
    decline: { code: 'incorrect_cvc', declineCode: 'incorrect_cvc', message: "Your card's security code is incorrect." },
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: 'visa',
    last4: '0119',
    decline: {
      code: 'processing_error',
      declineCode: 'processing_error',
      message: 'An error occurred while processing your card. Try again in a little bit.',
    },
  },
};

export interface StripeServerOptions {
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Secret keys accepted as `Authorization: Bearer <key>`. @default [STRIPE_TEST_SECRET_KEY] */
  apiKeys?: readonly string[];
  /** The clock, in epoch milliseconds (object `created` times, key and authorisation expiry). @default Date.now */
  now?: () => number;
  /** Saved idempotent responses are forgotten after this long, as Stripe prunes keys. @default 24 h */
  idempotencyKeyTtlMs?: number;
  /** An uncaptured authorisation is canceled (`cancellation_reason: 'automatic'`) after this long. @default 7 days */
  authorisationWindowMs?: number;
  /** The smallest amount a PaymentIntent accepts, in the minor unit (Stripe: 50 for most currencies). @default 50 */
  minimumAmount?: number;
  /** Extra test payment methods, merged over {@link STRIPE_TEST_PAYMENT_METHODS}. */
  paymentMethods?: Readonly<Record<string, TestCard>>;
  /**
   * Keep the account (PaymentIntents, charges, refunds, saved idempotent responses) in this JSON file:
   * loaded at start, rewritten (write then rename, so never half-written) after every request that
   * changed it. The local run uses it so that a restart keeps every payment. @default in memory
   */
  dataFile?: string;
}

/** One request the server received (the `Authorization` header is never recorded). */
export interface StripeRequestRecord {
  requestId: string;
  method: string;
  path: string;
  query: StripeFormParams;
  /** The decoded form body. */
  params: StripeFormParams;
  idempotencyKey: string | null;
  /** `null` when the connection was dropped without an answer. */
  status: number | null;
  /** The answer was a saved idempotent response. */
  replayed: boolean;
  /** The fault applied to it, if any. */
  fault: StripeFaultKind | null;
  /** The error answered, if any. */
  error: { type: string; code?: string; declineCode?: string } | null;
  /** When it arrived (epoch ms, from the server clock). */
  at: number;
}

/** Money movements of one PaymentIntent, in its currency's minor unit. */
export interface StripeLedgerEntry {
  paymentIntentId: string;
  /** `metadata.orderId`, when set. */
  orderId: string | null;
  currency: string;
  amount: number;
  status: PaymentIntentStatus;
  /** Sum of successful authorisations (confirmations). */
  authorised: number;
  captured: number;
  refunded: number;
  /** Authorised but released uncaptured: canceled, expired, or the remainder of a partial capture. */
  released: number;
  /** Authorised amount released by a cancel (requested or automatic expiry). */
  canceled: number;
  /** captured - refunded. */
  net: number;
  /** Number of successful authorisations, captures, refunds and declines. */
  authorisations: number;
  captures: number;
  refunds: number;
  declines: number;
}

/** A running local Stripe server. */
export interface StripeServer {
  /** `http://127.0.0.1:<port>`: the `STRIPE_API_BASE` of the apps. */
  url: string;
  /** Same as {@link url}. */
  endpoint: string;
  host: string;
  port: number;
  /** The first accepted secret key. */
  apiKey: string;
  /** `new Stripe(server.apiKey, { ...server.sdkOptions(), maxNetworkRetries, timeout })`. */
  sdkOptions(): { host: string; port: number; protocol: 'http'; telemetry: false };
  faults: StripeFaults;
  /** Requests received so far, oldest first; optionally those matching a method and path pattern. */
  requests(filter?: StripeFaultMatch): StripeRequestRecord[];
  /** Money movements per PaymentIntent, in creation order; optionally of one order (`metadata.orderId`). */
  ledger(filter?: { orderId?: string; paymentIntentId?: string }): StripeLedgerEntry[];
  /** A copy of a PaymentIntent as the API would return it, or `undefined`. */
  paymentIntent(id: string): Record<string, unknown> | undefined;
  /** Forgets every saved idempotent response (as Stripe does after 24 h); returns how many. */
  forgetIdempotencyKeys(): number;
  /** Lets an uncaptured authorisation lapse now: `requires_capture` → `canceled` (`automatic`). */
  expireAuthorisation(paymentIntentId: string): Record<string, unknown>;
  /** Drops every object, saved key, fault and logged request. */
  reset(): void;
  close(): Promise<void>;
}

// ---- errors -------------------------------------------------------------------------------------

interface StripeErrorBody {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  request_log_url?: string;
  charge?: string;
  payment_intent?: Record<string, unknown>;
  payment_method?: Record<string, unknown>;
}

/** An error answer. `saved`: whether the idempotency layer keeps it (execution had begun). */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    readonly saved: boolean,
  ) {
    super(body.message);
  }
}

function docUrl(code: string | undefined): { doc_url?: string } {
  return code ? { doc_url: `https://docs.stripe.com/error-codes/${code.replace(/_/g, '-')}` } : {};
}

/** A parameter error: raised before execution, so never saved for an idempotency key. */
function paramError(message: string, param: string, code?: string, status = 400): ApiError {
  return new ApiError(status, { type: 'invalid_request_error', message, param, ...(code ? { code } : {}), ...docUrl(code) }, false);
}

/** A state error raised by the endpoint's execution: saved for an idempotency key. */
function stateError(message: string, code?: string, extra: Partial<StripeErrorBody> = {}): ApiError {
  return new ApiError(400, { type: 'invalid_request_error', message, ...(code ? { code } : {}), ...docUrl(code), ...extra }, true);
}

function missing(kind: string, id: string, param: string): ApiError {
  return new ApiError(
    404,
    { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${id}'`, param, ...docUrl('resource_missing') },
    false,
  );
}

// ---- ids ----------------------------------------------------------------------------------------

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = prefix;
  for (const b of bytes) out += ID_ALPHABET[b % ID_ALPHABET.length];
  return out;
}

// ---- objects ------------------------------------------------------------------------------------

type Json = Record<string, unknown>;

interface PaymentIntentRecord {
  obj: Json & { id: string; amount: number; currency: string; status: PaymentIntentStatus; metadata: Record<string, string> };
  authorisedAt: number | null;
  authorised: number;
  released: number;
  canceled: number;
  authorisations: number;
  captures: number;
  declines: number;
}

interface ChargeRecord {
  obj: Json & { id: string; amount: number; amount_captured: number; amount_refunded: number; payment_intent: string };
}

interface RefundRecord {
  obj: Json & { id: string; amount: number; charge: string; payment_intent: string };
}

interface SavedResponse {
  fingerprint: string;
  endpoint: string;
  status: number;
  body: unknown;
  requestId: string;
  savedAt: number;
  inFlight: boolean;
}

/** What `dataFile` holds. */
interface AccountSnapshot {
  version: 1;
  paymentIntents: PaymentIntentRecord[];
  charges: ChargeRecord[];
  refunds: RefundRecord[];
  idempotency: Array<[string, SavedResponse]>;
}

/** Loads a `dataFile` (nothing when it does not exist yet); a corrupt file is an error, never silently emptied. */
function loadSnapshot(file: string): AccountSnapshot | undefined {
  const parsed = readJsonFile(file) as Partial<AccountSnapshot> | undefined;
  if (parsed === undefined) return undefined;
  if (parsed.version !== 1 || !Array.isArray(parsed.paymentIntents) || !Array.isArray(parsed.charges) || !Array.isArray(parsed.refunds) || !Array.isArray(parsed.idempotency)) {
    throw new Error(`startStripeServer: ${file} is not a Stripe server data file (version 1)`);
  }
  return parsed as AccountSnapshot;
}


interface Outcome {
  status: number;
  body: unknown;
}

const CANCELABLE: readonly PaymentIntentStatus[] = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
];
const CANCELLATION_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer', 'abandoned'];
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];
const CAPTURE_METHODS = ['automatic', 'automatic_async', 'manual'];

const CREATE_PARAMS = new Set([
  'allowed_payment_method_types',
  'amount',
  'currency',
  'capture_method',
  'confirm',
  'confirmation_method',
  'customer',
  'description',
  'error_on_requires_action',
  'expand',
  'metadata',
  'off_session',
  'payment_method',
  'payment_method_options',
  'payment_method_types',
  'automatic_payment_methods',
  'receipt_email',
  'return_url',
  'setup_future_usage',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'use_stripe_sdk',
]);
const CONFIRM_PARAMS = new Set([
  'allowed_payment_method_types',
  'capture_method',
  'error_on_requires_action',
  'expand',
  'off_session',
  'payment_method',
  'payment_method_options',
  'payment_method_types',
  'receipt_email',
  'return_url',
  'setup_future_usage',
  'use_stripe_sdk',
]);
const CAPTURE_PARAMS = new Set(['amount_to_capture', 'expand', 'metadata', 'final_capture', 'statement_descriptor', 'statement_descriptor_suffix']);
const CANCEL_PARAMS = new Set(['cancellation_reason', 'expand']);
const REFUND_PARAMS = new Set(['amount', 'charge', 'expand', 'metadata', 'payment_intent', 'reason', 'instructions_email']);
const LIST_REFUNDS_PARAMS = new Set(['charge', 'payment_intent', 'limit', 'starting_after', 'ending_before', 'expand', 'created']);

function checkKnown(params: StripeFormParams, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(params)) {
    if (!allowed.has(key)) throw paramError(`Received unknown parameter: ${key}`, key, 'parameter_unknown');
  }
}

function str(params: StripeFormParams, name: string): string | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw paramError(`Invalid string: ${name} must be a string`, name, 'parameter_invalid_string');
  return v;
}

function int(params: StripeFormParams, name: string): number | undefined {
  const v = str(params, name);
  if (v === undefined) return undefined;
  if (!/^-?[0-9]{1,15}$/.test(v)) throw paramError(`Invalid integer: ${v}`, name, 'parameter_invalid_integer');
  return Number(v);
}

function bool(params: StripeFormParams, name: string): boolean | undefined {
  const v = str(params, name);
  if (v === undefined) return undefined;
  if (v !== 'true' && v !== 'false') throw paramError(`Invalid boolean: ${v}`, name);
  return v === 'true';
}

function expandList(params: StripeFormParams): string[] {
  const v = params['expand'];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) {
    throw paramError('Invalid array', 'expand', 'parameter_invalid_array');
  }
  return v;
}

function metadataOf(params: StripeFormParams, current: Record<string, string> = {}): Record<string, string> {
  const v = params['metadata'];
  if (v === undefined) return current;
  if (v === '') return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw paramError('Invalid object', 'metadata', 'parameter_invalid_object');
  const merged: Record<string, string> = { ...current };
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') throw paramError(`Invalid metadata value for ${k}`, `metadata[${k}]`);
    if (k.length > 40) throw paramError('Metadata keys can be at most 40 characters.', `metadata[${k}]`);
    if (value.length > 500) throw paramError('Metadata values can be at most 500 characters.', `metadata[${k}]`);
    if (value === '') delete merged[k];
    else merged[k] = value;
  }
  if (Object.keys(merged).length > 50) throw paramError('Metadata can have at most 50 keys.', 'metadata');
  return merged;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

// ---- the fake Stripe account --------------------------------------------------------------------

class StripeAccount {
  readonly paymentIntents = new Map<string, PaymentIntentRecord>();
  readonly charges = new Map<string, ChargeRecord>();
  readonly refunds = new Map<string, RefundRecord>();
  readonly idempotency = new Map<string, SavedResponse>();
  readonly log: StripeRequestRecord[] = [];
  /** For {@link ledger}: PaymentIntent ids by `metadata.orderId`, charges and refunds by PaymentIntent (a ledger of one order stays cheap in a big account). */
  private readonly intentsByOrder = new Map<string, string[]>();
  private readonly chargesByIntent = new Map<string, ChargeRecord[]>();
  private readonly refundsByIntent = new Map<string, RefundRecord[]>();

  constructor(
    readonly now: () => number,
    readonly minimumAmount: number,
    readonly authorisationWindowMs: number,
    readonly cards: Readonly<Record<string, TestCard>>,
    readonly faults: StripeFaults,
  ) {}

  /** The account's objects as JSON (requests and faults are not kept). */
  snapshot(): AccountSnapshot {
    return {
      version: 1,
      paymentIntents: [...this.paymentIntents.values()],
      charges: [...this.charges.values()],
      refunds: [...this.refunds.values()],
      idempotency: [...this.idempotency].filter(([, v]) => !v.inFlight),
    };
  }

  restore(snapshot: AccountSnapshot): void {
    for (const r of snapshot.paymentIntents) this.addIntent(r);
    for (const r of snapshot.charges) this.addCharge(r);
    for (const r of snapshot.refunds) this.addRefund(r);
    for (const [k, v] of snapshot.idempotency) this.idempotency.set(k, v);
  }

  reset(): void {
    this.paymentIntents.clear();
    this.charges.clear();
    this.refunds.clear();
    this.intentsByOrder.clear();
    this.chargesByIntent.clear();
    this.refundsByIntent.clear();
    this.idempotency.clear();
    this.log.length = 0;
    this.faults.clear();
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Looks a PaymentIntent up, letting an authorisation lapse if its window has passed. */
  pi(id: string, param = 'intent'): PaymentIntentRecord {
    const rec = this.paymentIntents.get(id);
    if (!rec) throw missing('payment_intent', id, param);
    if (rec.obj.status === 'requires_capture' && rec.authorisedAt !== null && this.now() - rec.authorisedAt >= this.authorisationWindowMs) {
      this.cancelRecord(rec, 'automatic');
    }
    return rec;
  }

  private render(rec: PaymentIntentRecord, expand: readonly string[]): Json {
    const obj = clone(rec.obj) as Json;
    if (expand.includes('latest_charge') && typeof obj['latest_charge'] === 'string') {
      obj['latest_charge'] = clone(this.charges.get(obj['latest_charge'])!.obj);
    }
    return obj;
  }

  private renderRefund(rec: RefundRecord, expand: readonly string[]): Json {
    const obj = clone(rec.obj) as Json;
    if (expand.includes('charge')) obj['charge'] = clone(this.charges.get(rec.obj.charge)!.obj);
    if (expand.includes('payment_intent')) obj['payment_intent'] = this.render(this.paymentIntents.get(rec.obj.payment_intent)!, []);
    return obj;
  }

  createPaymentIntent(params: StripeFormParams): Outcome {
    checkKnown(params, CREATE_PARAMS);
    const amount = int(params, 'amount');
    if (amount === undefined) throw paramError('Missing required param: amount.', 'amount', 'parameter_missing');
    const currency = str(params, 'currency');
    if (currency === undefined) throw paramError('Missing required param: currency.', 'currency', 'parameter_missing');
    if (!/^[a-z]{3}$/.test(currency)) throw paramError(`Invalid currency: ${currency.slice(0, 10)}.`, 'currency');
    if (amount < this.minimumAmount) {
      throw paramError(`Amount must be at least ${this.minimumAmount} in the currency's minor unit.`, 'amount', 'amount_too_small');
    }
    if (amount > 99_999_999) throw paramError('Amount must be no more than 99999999.', 'amount', 'amount_too_large');
    const captureMethod = str(params, 'capture_method') ?? 'automatic_async';
    if (!CAPTURE_METHODS.includes(captureMethod)) {
      throw paramError(`Invalid capture_method: must be one of ${CAPTURE_METHODS.join(', ')}`, 'capture_method');
    }
    const confirm = bool(params, 'confirm') ?? false;
    const paymentMethod = str(params, 'payment_method');
    if (paymentMethod !== undefined) this.card(paymentMethod);
    // `allowed_payment_method_types` since API 2026-10-28 (`payment_method_types` before).
    for (const name of ['allowed_payment_method_types', 'payment_method_types']) {
      const types = params[name];
      if (types !== undefined && (!Array.isArray(types) || !types.every((t) => t === 'card'))) {
        throw paramError(`The local Stripe server supports ${name} [card] only.`, name);
      }
    }
    const allowedTypes = params['allowed_payment_method_types'] === undefined ? null : ['card'];
    const metadata = metadataOf(params);
    const description = str(params, 'description') ?? null;
    const expand = expandList(params);
    if (confirm && paymentMethod === undefined) {
      throw paramError('You must provide a payment_method to confirm this PaymentIntent.', 'payment_method', 'parameter_missing');
    }

    const id = randomId('pi_');
    const rec: PaymentIntentRecord = {
      obj: {
        id,
        object: 'payment_intent',
        amount,
        amount_capturable: 0,
        amount_details: { tip: {} },
        amount_received: 0,
        allowed_payment_method_types: allowedTypes,
        application: null,
        application_fee_amount: null,
        automatic_payment_methods: null,
        canceled_at: null,
        cancellation_reason: null,
        capture_method: captureMethod,
        client_secret: `${id}_secret_${randomId('', 25)}`,
        confirmation_method: 'automatic',
        created: this.seconds(),
        currency,
        customer: null,
        customer_account: null,
        description,
        excluded_payment_method_types: null,
        last_payment_error: null,
        latest_charge: null,
        livemode: false,
        metadata,
        next_action: null,
        on_behalf_of: null,
        payment_method: paymentMethod ?? null,
        payment_method_configuration_details: null,
        payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
        payment_method_types: ['card'],
        payment_record: null,
        processing: null,
        receipt_email: null,
        review: null,
        setup_future_usage: null,
        shipping: null,
        source: null,
        statement_descriptor: null,
        statement_descriptor_suffix: null,
        status: paymentMethod === undefined ? 'requires_payment_method' : 'requires_confirmation',
        transfer_data: null,
        transfer_group: null,
      },
      authorisedAt: null,
      authorised: 0,
      released: 0,
      canceled: 0,
      authorisations: 0,
      captures: 0,
      declines: 0,
    };
    this.addIntent(rec);
    if (confirm) this.confirmRecord(rec, 'POST', '/v1/payment_intents');
    return { status: 200, body: this.render(rec, expand) };
  }

  private card(paymentMethod: string): TestCard {
    const card = this.cards[paymentMethod];
    if (!card) throw missing('PaymentMethod', paymentMethod, 'payment_method');
    return card;
  }

  private paymentMethodObject(id: string, card: TestCard): Json {
    return {
      id,
      object: 'payment_method',
      billing_details: { address: null, email: null, name: null, phone: null },
      card: { brand: card.brand, country: 'US', exp_month: 12, exp_year: 2034, funding: 'credit', last4: card.last4 },
      created: this.seconds(),
      customer: null,
      livemode: false,
      metadata: {},
      type: 'card',
    };
  }

  /** Authorises (or declines) with the PaymentIntent's payment method. Throws the 402 on a decline. */
  private confirmRecord(rec: PaymentIntentRecord, method: string, path: string): void {
    const pm = rec.obj['payment_method'] as string;
    const card = this.card(pm);
    const injected = this.faults.take(method, path, ['decline']);
    const decline = injected
      ? { code: 'card_declined', declineCode: injected.declineCode ?? 'generic_decline', message: 'Your card was declined.' }
      : card.decline;
    const chargeId = randomId('ch_');
    const { amount, currency } = rec.obj;
    const manual = rec.obj['capture_method'] === 'manual';
    const charge: ChargeRecord['obj'] = {
      id: chargeId,
      object: 'charge',
      amount,
      amount_captured: 0,
      amount_refunded: 0,
      balance_transaction: null,
      billing_details: { address: null, email: null, name: null, phone: null },
      captured: false,
      created: this.seconds(),
      currency,
      description: rec.obj['description'] ?? null,
      disputed: false,
      failure_code: null,
      failure_message: null,
      livemode: false,
      metadata: clone(rec.obj.metadata),
      outcome: null,
      paid: false,
      payment_intent: rec.obj.id,
      payment_method: pm,
      payment_method_details: { type: 'card', card: { brand: card.brand, last4: card.last4 } },
      refunded: false,
      status: 'failed',
    };
    this.addCharge({ obj: charge });
    rec.obj['latest_charge'] = chargeId;
    if (decline) {
      charge['failure_code'] = decline.code;
      charge['failure_message'] = decline.message;
      charge['outcome'] = {
        network_status: 'declined_by_network',
        reason: decline.declineCode,
        risk_level: 'normal',
        seller_message: 'The bank did not return any further details with this decline.',
        type: 'issuer_declined',
      };
      const pmObject = this.paymentMethodObject(pm, card);
      const error: StripeErrorBody = {
        type: 'card_error',
        code: decline.code,
        decline_code: decline.declineCode,
        message: decline.message,
        charge: chargeId,
        ...docUrl(decline.code),
        request_log_url: `https://dashboard.stripe.com/test/logs/${randomId('req_', 14)}`,
      };
      rec.obj.status = 'requires_payment_method';
      rec.obj['payment_method'] = null;
      rec.obj['last_payment_error'] = { ...error, payment_method: pmObject };
      rec.declines++;
      throw new ApiError(402, { ...error, payment_intent: this.render(rec, []), payment_method: pmObject }, true);
    }
    charge['outcome'] = {
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      seller_message: 'Payment complete.',
      type: 'authorized',
    };
    charge['status'] = 'succeeded';
    charge['paid'] = true;
    rec.obj['last_payment_error'] = null;
    rec.authorised += amount;
    rec.authorisations++;
    if (manual) {
      rec.obj.status = 'requires_capture';
      rec.obj['amount_capturable'] = amount;
      rec.authorisedAt = this.now();
    } else {
      rec.obj.status = 'succeeded';
      rec.obj['amount_received'] = amount;
      charge['captured'] = true;
      charge['amount_captured'] = amount;
      rec.captures++;
    }
  }

  retrievePaymentIntent(id: string, query: StripeFormParams): Outcome {
    return { status: 200, body: this.render(this.pi(id), expandList(query)) };
  }

  confirmPaymentIntent(id: string, params: StripeFormParams, method: string, path: string): Outcome {
    checkKnown(params, CONFIRM_PARAMS);
    const rec = this.pi(id);
    const paymentMethod = str(params, 'payment_method');
    if (paymentMethod !== undefined) this.card(paymentMethod);
    const captureMethod = str(params, 'capture_method');
    if (captureMethod !== undefined && !CAPTURE_METHODS.includes(captureMethod)) {
      throw paramError(`Invalid capture_method: must be one of ${CAPTURE_METHODS.join(', ')}`, 'capture_method');
    }
    const expand = expandList(params);
    const status = rec.obj.status;
    if (status !== 'requires_payment_method' && status !== 'requires_confirmation') {
      throw stateError(
        `This PaymentIntent's status is ${status}, but it must be one of requires_payment_method, requires_confirmation to be confirmed.`,
        'payment_intent_unexpected_state',
        { payment_intent: this.render(rec, []) },
      );
    }
    if (paymentMethod !== undefined) rec.obj['payment_method'] = paymentMethod;
    if (rec.obj['payment_method'] === null) {
      throw stateError(
        'You cannot confirm this PaymentIntent because it\'s missing a payment method. Update the PaymentIntent with a payment method and then confirm it again.',
        'payment_intent_unexpected_state',
        { payment_intent: this.render(rec, []) },
      );
    }
    if (captureMethod !== undefined) rec.obj['capture_method'] = captureMethod;
    this.confirmRecord(rec, method, path);
    return { status: 200, body: this.render(rec, expand) };
  }

  capturePaymentIntent(id: string, params: StripeFormParams): Outcome {
    checkKnown(params, CAPTURE_PARAMS);
    const rec = this.pi(id);
    const toCapture = int(params, 'amount_to_capture');
    const expand = expandList(params);
    const metadata = metadataOf(params, rec.obj.metadata);
    if (rec.obj.status !== 'requires_capture') {
      throw stateError(
        `This PaymentIntent could not be captured because it has a status of ${rec.obj.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        'payment_intent_unexpected_state',
        { payment_intent: this.render(rec, []) },
      );
    }
    const capturable = rec.obj['amount_capturable'] as number;
    const amount = toCapture ?? capturable;
    if (amount < 1) throw paramError('Amount to capture must be positive.', 'amount_to_capture');
    if (amount > capturable) {
      throw stateError(
        `The amount to capture (${amount}) is greater than the amount capturable (${capturable}).`,
        'amount_too_large',
        { param: 'amount_to_capture' },
      );
    }
    const charge = this.charges.get(rec.obj['latest_charge'] as string)!;
    charge.obj['captured'] = true;
    charge.obj.amount_captured = amount;
    rec.obj.metadata = metadata;
    rec.obj['amount_received'] = amount;
    rec.obj['amount_capturable'] = 0;
    rec.obj.status = 'succeeded';
    rec.released += capturable - amount;
    rec.captures++;
    return { status: 200, body: this.render(rec, expand) };
  }

  cancelPaymentIntent(id: string, params: StripeFormParams): Outcome {
    checkKnown(params, CANCEL_PARAMS);
    const rec = this.pi(id);
    const reason = str(params, 'cancellation_reason');
    if (reason !== undefined && !CANCELLATION_REASONS.includes(reason)) {
      throw paramError(`Invalid cancellation_reason: must be one of ${CANCELLATION_REASONS.join(', ')}`, 'cancellation_reason');
    }
    const expand = expandList(params);
    if (!CANCELABLE.includes(rec.obj.status)) {
      throw stateError(
        `You cannot cancel this PaymentIntent because it has a status of ${rec.obj.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}.`,
        'payment_intent_unexpected_state',
        { payment_intent: this.render(rec, []) },
      );
    }
    this.cancelRecord(rec, reason ?? null);
    return { status: 200, body: this.render(rec, expand) };
  }

  private cancelRecord(rec: PaymentIntentRecord, reason: string | null): void {
    const capturable = rec.obj['amount_capturable'] as number;
    if (capturable > 0) {
      // Stripe refunds the uncaptured authorisation on its charge.
      const charge = this.charges.get(rec.obj['latest_charge'] as string)!;
      charge.obj.amount_refunded = capturable;
      charge.obj['refunded'] = true;
    }
    rec.released += capturable;
    rec.canceled += capturable;
    rec.obj['amount_capturable'] = 0;
    rec.obj.status = 'canceled';
    rec.obj['canceled_at'] = this.seconds();
    rec.obj['cancellation_reason'] = reason;
  }

  expireAuthorisation(id: string): Json {
    const rec = this.pi(id);
    if (rec.obj.status !== 'requires_capture') {
      throw new Error(`PaymentIntent ${id} has status ${rec.obj.status}; only requires_capture authorisations expire`);
    }
    this.cancelRecord(rec, 'automatic');
    return this.render(rec, []);
  }

  createRefund(params: StripeFormParams): Outcome {
    checkKnown(params, REFUND_PARAMS);
    const piId = str(params, 'payment_intent');
    const chargeId = str(params, 'charge');
    const amountParam = int(params, 'amount');
    const reason = str(params, 'reason');
    if (reason !== undefined && !REFUND_REASONS.includes(reason)) {
      throw paramError(`Invalid reason: must be one of ${REFUND_REASONS.join(', ')}`, 'reason');
    }
    const metadata = metadataOf(params);
    const expand = expandList(params);
    if (piId === undefined && chargeId === undefined) {
      throw paramError('One of the following params should be provided for this request: payment_intent or charge.', 'payment_intent', 'parameter_missing');
    }
    let pi: PaymentIntentRecord;
    let charge: ChargeRecord;
    if (chargeId !== undefined) {
      const found = this.charges.get(chargeId);
      if (!found) throw missing('charge', chargeId, 'charge');
      charge = found;
      pi = this.pi(found.obj.payment_intent, 'payment_intent');
      if (piId !== undefined && piId !== pi.obj.id) {
        throw paramError(`The charge ${chargeId} does not belong to the PaymentIntent ${piId}.`, 'charge');
      }
    } else {
      pi = this.pi(piId!, 'payment_intent');
      const latest = pi.obj['latest_charge'];
      if (pi.obj.status !== 'succeeded' || typeof latest !== 'string') {
        throw stateError(`This PaymentIntent (${pi.obj.id}) does not have a successful charge to refund.`);
      }
      charge = this.charges.get(latest)!;
    }
    if (charge.obj['status'] !== 'succeeded' || charge.obj['captured'] !== true) {
      throw stateError(`Charge ${charge.obj.id} has not been captured; cancel its PaymentIntent instead.`, 'charge_not_refundable');
    }
    const remaining = charge.obj.amount_captured - charge.obj.amount_refunded;
    if (remaining <= 0) {
      throw stateError(`Charge ${charge.obj.id} has already been refunded.`, 'charge_already_refunded', { charge: charge.obj.id });
    }
    const amount = amountParam ?? remaining;
    if (amount < 1) throw paramError('Refund amount must be positive.', 'amount');
    if (amount > remaining) {
      throw stateError(
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
        'amount_too_large',
        { param: 'amount' },
      );
    }
    const id = randomId('re_');
    const refund: RefundRecord['obj'] = {
      id,
      object: 'refund',
      amount,
      balance_transaction: null,
      charge: charge.obj.id,
      created: this.seconds(),
      currency: pi.obj.currency,
      destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
      metadata,
      payment_intent: pi.obj.id,
      reason: reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: 'succeeded',
      transfer_reversal: null,
    };
    this.addRefund({ obj: refund });
    charge.obj.amount_refunded += amount;
    charge.obj['refunded'] = charge.obj.amount_refunded >= charge.obj.amount_captured;
    return { status: 200, body: this.renderRefund({ obj: refund }, expand) };
  }

  retrieveRefund(id: string, query: StripeFormParams): Outcome {
    const rec = this.refunds.get(id);
    if (!rec) throw missing('refund', id, 'id');
    return { status: 200, body: this.renderRefund(rec, expandList(query)) };
  }

  listRefunds(query: StripeFormParams): Outcome {
    checkKnown(query, LIST_REFUNDS_PARAMS);
    const piId = str(query, 'payment_intent');
    const chargeId = str(query, 'charge');
    const limit = int(query, 'limit') ?? 10;
    if (limit < 1 || limit > 100) throw paramError('limit must be between 1 and 100', 'limit');
    if (piId !== undefined && !this.paymentIntents.has(piId)) throw missing('payment_intent', piId, 'payment_intent');
    const all = [...this.refunds.values()]
      .filter((r) => (piId === undefined || r.obj.payment_intent === piId) && (chargeId === undefined || r.obj.charge === chargeId))
      .reverse();
    const expand = expandList(query).map((e) => e.replace(/^data\./, ''));
    return {
      status: 200,
      body: {
        object: 'list',
        data: all.slice(0, limit).map((r) => this.renderRefund(r, expand)),
        has_more: all.length > limit,
        url: '/v1/refunds',
      },
    };
  }

  retrieveCharge(id: string): Outcome {
    const rec = this.charges.get(id);
    if (!rec) throw missing('charge', id, 'id');
    return { status: 200, body: clone(rec.obj) };
  }

  private addIntent(rec: PaymentIntentRecord): void {
    this.paymentIntents.set(rec.obj.id, rec);
    const orderId = rec.obj.metadata['orderId'];
    if (orderId !== undefined) this.intentsByOrder.set(orderId, [...(this.intentsByOrder.get(orderId) ?? []), rec.obj.id]);
  }

  private addCharge(rec: ChargeRecord): void {
    this.charges.set(rec.obj.id, rec);
    this.chargesByIntent.set(rec.obj.payment_intent, [...(this.chargesByIntent.get(rec.obj.payment_intent) ?? []), rec]);
  }

  private addRefund(rec: RefundRecord): void {
    this.refunds.set(rec.obj.id, rec);
    this.refundsByIntent.set(rec.obj.payment_intent, [...(this.refundsByIntent.get(rec.obj.payment_intent) ?? []), rec]);
  }

  ledger(filter: { orderId?: string; paymentIntentId?: string } = {}): StripeLedgerEntry[] {
    const out: StripeLedgerEntry[] = [];
    const ids =
      filter.paymentIntentId !== undefined
        ? [filter.paymentIntentId]
        : filter.orderId !== undefined
          ? (this.intentsByOrder.get(filter.orderId) ?? [])
          : [...this.paymentIntents.keys()];
    for (const id of ids) {
      if (!this.paymentIntents.has(id)) continue;
      const live = this.pi(id);
      const orderId = live.obj.metadata['orderId'] ?? null;
      if (filter.orderId !== undefined && orderId !== filter.orderId) continue;
      let captured = 0;
      for (const c of this.chargesByIntent.get(live.obj.id) ?? []) captured += c.obj.amount_captured;
      let refunded = 0;
      let refunds = 0;
      for (const r of this.refundsByIntent.get(live.obj.id) ?? []) {
        refunded += r.obj.amount;
        refunds++;
      }
      out.push({
        paymentIntentId: live.obj.id,
        orderId,
        currency: live.obj.currency,
        amount: live.obj.amount,
        status: live.obj.status,
        authorised: live.authorised,
        captured,
        refunded,
        released: live.released,
        canceled: live.canceled,
        net: captured - refunded,
        authorisations: live.authorisations,
        captures: live.captures,
        refunds,
        declines: live.declines,
      });
    }
    return out;
  }
}

// ---- HTTP ---------------------------------------------------------------------------------------

const MAX_BODY_BYTES = 1024 * 1024;

interface Route {
  method: string;
  pattern: RegExp;
  /** Ids are captured groups. */
  run(account: StripeAccount, ids: string[], params: StripeFormParams, query: StripeFormParams, method: string, path: string): Outcome;
}

const ID = '([A-Za-z0-9_]{1,255})';

const ROUTES: readonly Route[] = [
  { method: 'POST', pattern: /^\/v1\/payment_intents$/, run: (a, _ids, p) => a.createPaymentIntent(p) },
  { method: 'GET', pattern: new RegExp(`^/v1/payment_intents/${ID}$`), run: (a, [id], _p, q) => a.retrievePaymentIntent(id!, q) },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/payment_intents/${ID}/confirm$`),
    run: (a, [id], p, _q, m, path) => a.confirmPaymentIntent(id!, p, m, path),
  },
  { method: 'POST', pattern: new RegExp(`^/v1/payment_intents/${ID}/capture$`), run: (a, [id], p) => a.capturePaymentIntent(id!, p) },
  { method: 'POST', pattern: new RegExp(`^/v1/payment_intents/${ID}/cancel$`), run: (a, [id], p) => a.cancelPaymentIntent(id!, p) },
  { method: 'POST', pattern: /^\/v1\/refunds$/, run: (a, _ids, p) => a.createRefund(p) },
  { method: 'GET', pattern: /^\/v1\/refunds$/, run: (a, _ids, _p, q) => a.listRefunds(q) },
  { method: 'GET', pattern: new RegExp(`^/v1/refunds/${ID}$`), run: (a, [id], _p, q) => a.retrieveRefund(id!, q) },
  { method: 'GET', pattern: new RegExp(`^/v1/charges/${ID}$`), run: (a, [id]) => a.retrieveCharge(id!) },
];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(paramError('Request body too large.', 'body', undefined, 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function maskKey(key: string): string {
  return key.length <= 8 ? '****' : `${key.slice(0, 8)}****${key.slice(-4)}`;
}

/** Starts the local Stripe server. */
export async function startStripeServer(options: StripeServerOptions = {}): Promise<StripeServer> {
  const apiKeys = options.apiKeys ?? [STRIPE_TEST_SECRET_KEY];
  if (apiKeys.length === 0) throw new Error('startStripeServer: apiKeys must not be empty');
  const now = options.now ?? Date.now;
  const keyTtl = options.idempotencyKeyTtlMs ?? 24 * 60 * 60 * 1000;
  const faults = new StripeFaults();
  const account = new StripeAccount(
    now,
    options.minimumAmount ?? 50,
    options.authorisationWindowMs ?? 7 * 24 * 60 * 60 * 1000,
    { ...STRIPE_TEST_PAYMENT_METHODS, ...options.paymentMethods },
    faults,
  );
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  const dataFile = options.dataFile;
  if (dataFile !== undefined) {
    const saved = loadSnapshot(dataFile);
    if (saved) account.restore(saved);
  }
  /** Persists the account after a request that may have changed it (only with `dataFile`). */
  const persist = (method: string): void => {
    if (dataFile !== undefined && method !== 'GET') writeJsonFile(dataFile, account.snapshot());
  };

  const sleep = (ms: number): Promise<void> =>
    ms <= 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, ms);
          timers.add(t);
        });

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, path: string, rawQuery: string): Promise<void> {
    const requestId = randomId('req_', 14);
    const idempotencyKey = headerValue(req, 'idempotency-key') ?? null;
    const record: StripeRequestRecord = {
      requestId,
      method,
      path,
      query: {},
      params: {},
      idempotencyKey,
      status: null,
      replayed: false,
      fault: null,
      error: null,
      at: now(),
    };
    account.log.push(record);
    const apiVersion = headerValue(req, 'stripe-version') ?? STRIPE_DEFAULT_API_VERSION;
    const baseHeaders: Record<string, string> = {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-cache, no-store',
      'Request-Id': requestId,
      'Stripe-Version': apiVersion,
    };
    if (idempotencyKey !== null) baseHeaders['Idempotency-Key'] = idempotencyKey;

    const send = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
      record.status = status;
      const error = (body as { error?: StripeErrorBody } | null)?.error;
      if (error) {
        record.error = { type: error.type, ...(error.code ? { code: error.code } : {}), ...(error.decline_code ? { declineCode: error.decline_code } : {}) };
      }
      // Saved before the answer leaves: whatever a client was told happened survives a restart.
      persist(method);
      if (res.destroyed || res.headersSent) return;
      const text = JSON.stringify(body, null, 2);
      res.writeHead(status, { ...baseHeaders, ...extra, 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
    };
    const sendError = (e: ApiError, extra: Record<string, string> = {}): void => send(e.status, { error: e.body }, extra);
    const drop = (): void => {
      persist(method);
      record.status = null;
      req.socket.destroy();
    };

    let body: string;
    try {
      body = await readBody(req);
      record.query = parseStripeForm(rawQuery);
      record.params = parseStripeForm(body);
    } catch (e) {
      if (e instanceof ApiError) return sendError(e);
      if (e instanceof StripeFormError) return sendError(paramError(e.message, 'body'));
      throw e;
    }

    // Authentication.
    const auth = headerValue(req, 'authorization');
    let key: string | undefined;
    if (auth?.startsWith('Bearer ')) key = auth.slice(7).trim();
    else if (auth?.startsWith('Basic ')) key = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0];
    if (!key) {
      return send(401, {
        error: {
          type: 'invalid_request_error',
          message:
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        },
      });
    }
    if (!apiKeys.includes(key)) {
      return send(401, { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${maskKey(key)}` } });
    }

    // Routing.
    let route: Route | undefined;
    let ids: string[] = [];
    for (const r of ROUTES) {
      const m = r.pattern.exec(path);
      if (m && r.method === method) {
        route = r;
        ids = m.slice(1);
        break;
      }
    }
    if (!route) {
      return send(404, {
        error: {
          type: 'invalid_request_error',
          message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
        },
      });
    }

    // Faults (other than declines, which act at confirmation). A `delay` is slow execution: the
    // idempotency key is taken first, so a retry arriving meanwhile gets the 409 Stripe sends.
    const fault = faults.take(method, path, ['429', '500', 'drop', 'delay']);
    if (fault) {
      record.fault = fault.kind;
      if (fault.kind !== 'delay') await sleep(fault.delayMs);
      if (closing) return drop();
      const retryHeader: Record<string, string> = fault.shouldRetry === undefined ? {} : { 'Stripe-Should-Retry': String(fault.shouldRetry) };
      if (fault.kind === '429') {
        return send(
          429,
          {
            error: {
              type: 'invalid_request_error',
              code: 'rate_limit',
              message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
              ...docUrl('rate_limit'),
            },
          },
          retryHeader,
        );
      }
      if (fault.kind === '500' && !fault.afterProcessing) {
        return send(500, { error: { type: 'api_error', message: 'An unknown error occurred' } }, retryHeader);
      }
      if (fault.kind === 'drop' && !fault.afterProcessing) return drop();
    }

    const outcome = await execute(route, ids, method, path, record, key, idempotencyKey, fault?.kind === 'delay' ? fault.delayMs : 0);
    if (closing) return drop();
    if (fault?.afterProcessing) {
      if (fault.kind === 'drop') return drop();
      const retryHeader: Record<string, string> = fault.shouldRetry === undefined ? {} : { 'Stripe-Should-Retry': String(fault.shouldRetry) };
      return send(500, { error: { type: 'api_error', message: 'An unknown error occurred' } }, retryHeader);
    }
    send(outcome.status, outcome.body, outcome.headers);
  }

  /** Runs a route behind the idempotency layer, `delayMs` after taking the key. */
  async function execute(
    route: Route,
    ids: string[],
    method: string,
    path: string,
    record: StripeRequestRecord,
    apiKey: string,
    idempotencyKey: string | null,
    delayMs: number,
  ): Promise<Outcome & { headers?: Record<string, string> }> {
    const run = (): { outcome: Outcome; saved: boolean } => {
      try {
        return { outcome: route.run(account, ids, record.params, record.query, method, path), saved: true };
      } catch (e) {
        if (e instanceof ApiError) return { outcome: { status: e.status, body: { error: e.body } }, saved: e.saved };
        if (e instanceof StripeFormError) return { outcome: { status: 400, body: { error: paramError(e.message, 'body').body } }, saved: false };
        const message = e instanceof Error ? e.message : String(e);
        return { outcome: { status: 500, body: { error: { type: 'api_error', message: `Local Stripe server error: ${message}` } } }, saved: false };
      }
    };
    if (method !== 'POST' || idempotencyKey === null) {
      await sleep(delayMs);
      return run().outcome;
    }

    if (idempotencyKey.length > 255) {
      const e = paramError('Idempotency keys can be at most 255 characters long.', 'idempotency_key');
      return { status: e.status, body: { error: e.body } };
    }
    const scope = `${apiKey}\u0000${idempotencyKey}`;
    const endpoint = `${method} ${path}`;
    const fingerprint = canonicalParams(record.params);
    let saved = account.idempotency.get(scope);
    if (saved && !saved.inFlight && now() - saved.savedAt >= keyTtl) {
      account.idempotency.delete(scope);
      saved = undefined;
    }
    if (saved) {
      if (saved.inFlight) {
        return {
          status: 409,
          body: {
            error: {
              type: 'idempotency_error',
              message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${idempotencyKey}. Please try again later.`,
            },
          },
        };
      }
      if (saved.endpoint !== endpoint) {
        return {
          status: 400,
          body: {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${saved.endpoint}' vs '${endpoint}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          },
        };
      }
      if (saved.fingerprint !== fingerprint) {
        return {
          status: 400,
          body: {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
            },
          },
        };
      }
      record.replayed = true;
      return {
        status: saved.status,
        body: clone(saved.body),
        headers: { 'Idempotent-Replayed': 'true', 'Original-Request': saved.requestId },
      };
    }
    const entry: SavedResponse = {
      fingerprint,
      endpoint,
      status: 0,
      body: null,
      requestId: record.requestId,
      savedAt: now(),
      inFlight: true,
    };
    account.idempotency.set(scope, entry);
    await sleep(delayMs);
    if (closing || account.idempotency.get(scope) !== entry) {
      // The server is closing, or reset() dropped the key while we waited.
      return { status: 500, body: { error: { type: 'api_error', message: 'The request was interrupted.' } } };
    }
    const { outcome, saved: keep } = run();
    if (keep) {
      entry.status = outcome.status;
      entry.body = clone(outcome.body);
      entry.inFlight = false;
      entry.savedAt = now();
    } else {
      account.idempotency.delete(scope);
    }
    return outcome;
  }

  async function handleAdmin(req: IncomingMessage, res: ServerResponse, method: string, path: string, rawQuery: string): Promise<void> {
    const reply = (status: number, body: unknown): void => {
      const text = JSON.stringify(body, null, 2);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
    };
    const query = new URLSearchParams(rawQuery);
    const text = await readBody(req);
    let json: unknown = undefined;
    if (text.trim().length > 0) {
      try {
        json = JSON.parse(text);
      } catch {
        return reply(400, { error: { message: 'The body must be JSON.' } });
      }
    }
    try {
      if (path === '/__admin/faults' && method === 'POST') {
        const specs = Array.isArray(json) ? json : [json];
        return reply(201, { faults: specs.map((s) => faults.inject(s as never)) });
      }
      if (path === '/__admin/faults' && method === 'GET') return reply(200, { faults: faults.list() });
      if (path === '/__admin/faults' && method === 'DELETE') {
        faults.clear();
        return reply(200, { faults: [] });
      }
      const faultId = /^\/__admin\/faults\/([A-Za-z0-9_]+)$/.exec(path)?.[1];
      if (faultId && method === 'DELETE') {
        return faults.clear(faultId) ? reply(200, { deleted: faultId }) : reply(404, { error: { message: `No such fault: ${faultId}` } });
      }
      if (path === '/__admin/requests' && method === 'GET') {
        const filter: StripeFaultMatch = {};
        const m = query.get('method');
        const p = query.get('path');
        if (m) filter.method = m;
        if (p) filter.path = p;
        return reply(200, { requests: server.requests(filter) });
      }
      if (path === '/__admin/ledger' && method === 'GET') {
        const filter: { orderId?: string; paymentIntentId?: string } = {};
        const o = query.get('orderId');
        const pi = query.get('paymentIntentId');
        if (o) filter.orderId = o;
        if (pi) filter.paymentIntentId = pi;
        return reply(200, { ledger: account.ledger(filter) });
      }
      if (path === '/__admin/idempotency-keys/forget' && method === 'POST') {
        return reply(200, { forgotten: server.forgetIdempotencyKeys() });
      }
      const expireId = /^\/__admin\/payment_intents\/([A-Za-z0-9_]+)\/expire$/.exec(path)?.[1];
      if (expireId && method === 'POST') return reply(200, server.expireAuthorisation(expireId));
      if (path === '/__admin/reset' && method === 'POST') {
        server.reset();
        return reply(200, { reset: true });
      }
      return reply(404, { error: { message: `No admin route ${method} ${path}` } });
    } catch (e) {
      if (e instanceof ApiError) return reply(e.status, { error: e.body });
      if (e instanceof StripeFaultSpecError) return reply(400, { error: { message: e.message } });
      return reply(400, { error: { message: e instanceof Error ? e.message : String(e) } });
    }
  }

  const http = createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const rawQuery = q === -1 ? '' : url.slice(q + 1);
    const method = (req.method ?? 'GET').toUpperCase();
    const work = path.startsWith('/__admin/') ? handleAdmin(req, res, method, path, rawQuery) : handleApi(req, res, method, path, rawQuery);
    work.catch((e: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const status = e instanceof ApiError ? e.status : 500;
      const body = e instanceof ApiError ? { error: e.body } : { error: { type: 'api_error', message: `Local Stripe server error: ${String(e)}` } };
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)) });
      res.end(text);
    });
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const url = `http://${urlHost}:${port}`;
  let closed: Promise<void> | undefined;

  const server: StripeServer = {
    url,
    endpoint: url,
    host: urlHost.replace(/^\[|\]$/g, ''),
    port,
    apiKey: apiKeys[0]!,
    sdkOptions: () => ({ host: urlHost.replace(/^\[|\]$/g, ''), port, protocol: 'http', telemetry: false }),
    faults,
    requests(filter) {
      const list = filter ? account.log.filter((r) => matchesRequest(filter, r.method, r.path)) : account.log;
      return list.map((r) => clone(r));
    },
    ledger: (filter) => account.ledger(filter),
    paymentIntent(id) {
      return account.paymentIntents.has(id) ? (account.retrievePaymentIntent(id, {}).body as Record<string, unknown>) : undefined;
    },
    forgetIdempotencyKeys() {
      let n = 0;
      for (const [k, v] of account.idempotency) {
        if (!v.inFlight) {
          account.idempotency.delete(k);
          n++;
        }
      }
      return n;
    },
    expireAuthorisation: (id) => account.expireAuthorisation(id),
    reset: () => account.reset(),
    close() {
      closed ??= (async () => {
        closing = true;
        for (const t of timers) clearTimeout(t);
        timers.clear();
        const stopped = new Promise<void>((resolve) => http.close(() => resolve()));
        http.closeAllConnections();
        await stopped;
      })();
      return closed;
    },
  };
  return server;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
