import { SagaErrors, isSagaErrorName, type AnalysisVerdict, type ErrorCategory, type FailedStep, type SagaErrorName } from '@saga/contracts';

/** The (already redacted) facts the rules read. */
export interface RuleFacts {
  /** `errorInfo.Error`. */
  readonly error: string;
  readonly failedStep: FailedStep;
  /** From a Lambda cause, when there is one. */
  readonly errorType?: string;
  readonly errorMessage?: string;
  /** The cause text when it is not a Lambda cause. */
  readonly cause?: string;
}

interface TaxonomyAdvice {
  readonly category: ErrorCategory;
  readonly remediation: readonly string[];
}

/**
 * The category and advice of every taxonomy error. `retriable` is not here: it is read from the taxonomy
 * itself. Typed as a complete record, so a new taxonomy name does not compile until it is classified.
 */
export const TaxonomyAdvice = {
  PaymentDeclined: {
    category: 'business',
    remediation: ['Ask the customer for another payment method; retrying the same card will be declined again.', 'Compensate the order if no other payment comes.'],
  },
  PaymentProviderUnavailable: {
    category: 'transient',
    remediation: ["Check Stripe's status and the function's network path.", 'Retry later: the same idempotency key makes a retried charge safe.'],
  },
  OutOfStock: {
    category: 'business',
    remediation: ['Restock or offer the customer a substitute.', 'Otherwise compensate: refund the payment.'],
  },
  DatabaseUnavailable: {
    category: 'transient',
    remediation: ['Check the DynamoDB throttling and error metrics of the saga tables.', 'Retry later; the writes are conditional and idempotent.'],
  },
  CarrierRateLimited: {
    category: 'transient',
    remediation: ['Retry later: the carrier limits the request rate and nothing was booked.', 'If it persists, lengthen the Retry backoff or ask the carrier for a higher limit.'],
  },
  CarrierUnavailable: {
    category: 'transient',
    remediation: ["Check the carrier's status page and the function's network path.", 'Retry: the order idempotency key (<orderId>:shipment:v1) prevents a double booking.'],
  },
  CarrierRejected: {
    category: 'business',
    remediation: ['Check the shipping address with the customer.', 'Compensate if it cannot be corrected.'],
  },
  CarrierResponseInvalid: {
    category: 'dependency',
    remediation: [
      'Look the booking up in the carrier portal under the key <orderId>:shipment:v1.',
      'If it is booked, retry: the carrier replays the same shipment for that key. If not, retry or compensate.',
    ],
  },
  EventPublishFailed: {
    category: 'transient',
    remediation: ['Check the EventBridge PutEvents failure codes and the bus policy.', 'Retry: the receipt write is idempotent.'],
  },
  InvalidOrder: {
    category: 'data',
    remediation: ['Fix the order at its source: it breaks the order contract (the error lists the fields).', 'Compensate: the order cannot proceed as it is.'],
  },
  CompensationFailed: {
    category: 'dependency',
    remediation: ['Undo the step by hand (refund in the Stripe dashboard, release the stock reservation).', 'Then fail the order.'],
  },
  OrderFulfillmentFailed: {
    category: 'business',
    remediation: ['Nothing to retry: the saga already failed after compensating.'],
  },
} as const satisfies Record<SagaErrorName, TaxonomyAdvice>;

/** A pattern rule for names outside the taxonomy. */
interface PatternRule {
  readonly id: string;
  readonly test: RegExp;
  readonly category: ErrorCategory;
  readonly retriable: boolean;
  readonly confidence: number;
  readonly cause: string;
  readonly remediation: readonly string[];
}

/** Ordered: the first rule matching the error name wins; then the same for errorType, then the message. */
export const PatternRules: readonly PatternRule[] = [
  {
    id: 'permissions',
    test: /AccessDenied|Unauthori[sz]ed|Forbidden|States\.Permissions|InvalidSignature|SignatureDoesNotMatch|ExpiredToken|UnrecognizedClient|InvalidClientTokenId|KMS\w*Exception|\b40[13]\b/i,
    category: 'configuration',
    retriable: false,
    confidence: 0.7,
    cause: 'A permission or credential problem: the function is not allowed to call a dependency, or its credentials are wrong or expired.',
    remediation: ['Check the IAM role of the failed step and any key policy it needs.', 'Check the API keys or secrets the step reads.'],
  },
  {
    id: 'throttling',
    test: /Throttl|TooManyRequests|Rate ?Limit|SlowDown|ProvisionedThroughputExceeded|RequestLimitExceeded|(?<!Data)LimitExceeded|\b429\b/i,
    category: 'transient',
    retriable: true,
    confidence: 0.7,
    cause: 'A dependency throttled the request.',
    remediation: ['Retry later with backoff.', 'If it recurs, raise the quota or lower the concurrency.'],
  },
  {
    id: 'timeout',
    test: /States\.Timeout|Time ?out|Timed ?Out|ETIMEDOUT|ESOCKETTIMEDOUT|Heartbeat|\b408\b|\b504\b/i,
    category: 'transient',
    retriable: true,
    confidence: 0.6,
    cause: 'The step or a dependency did not answer in time; whether its side effect happened is unknown.',
    remediation: [
      'Check whether the side effect happened (payment, reservation, booking) before deciding.',
      'Retry if the step is idempotent; consider a longer timeout.',
    ],
  },
  {
    id: 'unavailable',
    // Case-sensitive: errno codes such as ENOTFOUND must not match inside `ResourceNotFound`.
    test: /ServiceUnavailable|Service ?Exception|InternalServer|InternalFailure|InternalError|SdkClientException|ECONNRESET|ECONNREFUSED|EPIPE|EAI_AGAIN|ENOTFOUND|[Ss]ocket hang up|[Ff]etch failed|[Nn]etwork|\b5\d\d\b/,
    category: 'transient',
    retriable: true,
    confidence: 0.6,
    cause: 'A dependency failed or was unreachable (5xx or a network error).',
    remediation: ["Check the dependency's status and the function's network path.", 'Retry later.'],
  },
  {
    id: 'not-found',
    test: /NotFound|NoSuch\w+|does not exist|\b404\b/i,
    category: 'configuration',
    retriable: false,
    confidence: 0.5,
    cause: 'A resource the step needs was not found: a wrong name, id, region or endpoint.',
    remediation: ['Check the resource names and endpoints in the step configuration.'],
  },
  {
    id: 'out-of-memory',
    test: /out of memory|heap|signal: killed|Runtime\.ExitError|OutOfMemory/i,
    category: 'configuration',
    retriable: false,
    confidence: 0.5,
    cause: 'The function ran out of memory or was killed.',
    remediation: ['Raise the function memory or reduce the payload size.'],
  },
  {
    id: 'validation',
    test: /Validation|InvalidParameter|InvalidInput|InvalidRequest|Serialization|BadRequest|Malformed|States\.Runtime|DataLimitExceeded|ResultPathMatchFailure|ParameterPathFailure|\b400\b|\b422\b/i,
    category: 'data',
    retriable: false,
    confidence: 0.5,
    cause: 'A request or the step data was rejected as invalid.',
    remediation: ['Compare the step input with its contract and the dependency API.', 'Fix the data or the mapping, then retry.'],
  },
  {
    id: 'code-bug',
    test: /TypeError|ReferenceError|SyntaxError|RangeError|Runtime\.\w+/,
    category: 'unknown',
    retriable: false,
    confidence: 0.4,
    cause: 'The function failed with a programming error.',
    remediation: ["Read the failed step's logs and stack trace; fix and redeploy before retrying."],
  },
];

const UNKNOWN: Omit<PatternRule, 'id' | 'test'> = {
  category: 'unknown',
  retriable: false,
  confidence: 0.2,
  cause: 'The error matches no known rule.',
  remediation: ["Read the failed step's logs and the execution history.", 'Decide from the side effects already made: retry, compensate or fail.'],
};

/** Names that say nothing about the failure; the rules read the message instead. */
const GENERIC_NAMES = /^(?:Lambda\.Unknown|States\.TaskFailed|States\.ALL|Error|Exception|UnknownError)$/;

const MAX_EXCERPT = 300;

/** The taxonomy name of the failure, if any: the ASL error, else the Lambda cause's errorType. */
export function taxonomyNameOf(facts: Pick<RuleFacts, 'error' | 'errorType'>): SagaErrorName | undefined {
  if (isSagaErrorName(facts.error)) return facts.error;
  if (facts.errorType !== undefined && isSagaErrorName(facts.errorType)) return facts.errorType;
  return undefined;
}

/**
 * The deterministic verdict. A taxonomy error gets its category and `retriable` from the taxonomy with
 * confidence 1; any other name is matched against {@link PatternRules} with a modest confidence.
 */
export function classifyByRules(facts: RuleFacts): AnalysisVerdict {
  const excerpt = messageExcerpt(facts);
  const name = taxonomyNameOf(facts);
  if (name !== undefined) {
    const advice: TaxonomyAdvice = TaxonomyAdvice[name];
    return {
      category: advice.category,
      retriable: SagaErrors[name].retriable,
      likelyCause: clean(`${name} in ${facts.failedStep}: ${SagaErrors[name].description}${excerpt}`, 2_000),
      remediation: advice.remediation.map((r) => clean(r, 500)),
      confidence: 1,
    };
  }
  const fields = [facts.error, facts.errorType, facts.errorMessage ?? facts.cause].filter(
    (f): f is string => f !== undefined && f.length > 0 && !GENERIC_NAMES.test(f),
  );
  let rule: Omit<PatternRule, 'id' | 'test'> = UNKNOWN;
  search: for (const field of fields) {
    for (const candidate of PatternRules) {
      if (candidate.test.test(field)) {
        rule = candidate;
        break search;
      }
    }
  }
  return {
    category: rule.category,
    retriable: rule.retriable,
    likelyCause: clean(`${facts.error} in ${facts.failedStep}: ${rule.cause}${excerpt}`, 2_000),
    remediation: rule.remediation.map((r) => clean(r, 500)),
    confidence: rule.confidence,
  };
}

function messageExcerpt(facts: RuleFacts): string {
  const message = facts.errorMessage ?? facts.cause;
  if (message === undefined || message.trim().length === 0) return '';
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return ` Message: ${oneLine.length > MAX_EXCERPT ? `${oneLine.slice(0, MAX_EXCERPT - 1)}…` : oneLine}`;
}

/** Fits free text to the analysis contract: no control characters but LF and TAB, bounded, not blank. */
export function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const sanitized = text.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, ' ').trim();
  const bounded = sanitized.length > max ? `${sanitized.slice(0, max - 1)}…` : sanitized;
  return bounded.length === 0 ? '-' : bounded;
}
