import type { FunctionName } from './config.js';
import { statement, type PolicyStatement } from './iam/policy.js';
import { TABLES, type TableKey } from './tables.js';

/**
 * What each Lambda needs: its environment and its permissions, in one table so that the
 * environment a handler reads and the IAM it gets cannot drift apart. Logs and X-Ray permissions
 * are added for every function by `SagaFunction`.
 */

/** Environment variable names besides the tables' (`STOCK_TABLE`, `ORDERS_TABLE`, `RECEIPTS_TABLE`, `IDEMPOTENCY_TABLE`). */
export const ENV = {
  eventBusName: 'EVENT_BUS_NAME',
  stripeSecretArn: 'STRIPE_SECRET_ARN',
  carrierEndpoint: 'CARRIER_API_URL',
  bedrockModelId: 'BEDROCK_MODEL_ID',
  /** Where the AWS Parameters and Secrets Lambda Extension listens (read by the extension and the payment functions). */
  secretsExtensionPort: 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
  /** Powertools logger and idempotency: the service name in every log line. */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;

/** What the stack hands the catalogue: names and ARNs (cdktf tokens). */
export interface FunctionResources {
  readonly tables: Readonly<Record<TableKey, { readonly name: string; readonly arn: string }>>;
  readonly eventBus: { readonly name: string; readonly arn: string };
  readonly stripeSecretArn: string;
  /** The AWS Parameters and Secrets Lambda Extension the payment functions read the Stripe key through. */
  readonly secretsExtension: { readonly layerArn: string; readonly httpPort: number };
  readonly carrierEndpoint: string;
  readonly bedrockModelId: string;
  /** The ARNs `bedrock:InvokeModel` is granted on: the inference profile and the model it routes to. */
  readonly bedrockResourceArns: readonly string[];
}

export interface FunctionNeeds {
  readonly description: string;
  readonly environment: Record<string, string>;
  readonly statements: readonly PolicyStatement[];
  /** Lambda layer version ARNs (extensions). */
  readonly layers?: readonly string[];
}

/** The DynamoDB actions of the Powertools idempotency layer (conditional put, get, update, delete). */
const IDEMPOTENCY_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
/** ReserveStock/ReleaseStock: one transaction of conditional stock updates plus the reservation record. */
const STOCK_TRANSACTION_ACTIONS = [
  'dynamodb:TransactWriteItems',
  'dynamodb:UpdateItem',
  'dynamodb:PutItem',
  'dynamodb:GetItem',
  'dynamodb:ConditionCheckItem',
];

export function functionNeeds(name: FunctionName, r: FunctionResources): FunctionNeeds {
  const table = (key: TableKey) => ({ [TABLES[key].envVar]: r.tables[key].name });
  const idempotency = statement('IdempotencyRecords', IDEMPOTENCY_ACTIONS, [r.tables.idempotency.arn]);
  // The payment functions read the Stripe key through the Parameters and Secrets extension, which
  // calls GetSecretValue with the function's role: the role may read that one secret, nothing else.
  const stripeKey = statement('ReadStripeKey', ['secretsmanager:GetSecretValue'], [r.stripeSecretArn]);
  const stripeSecret = {
    [ENV.stripeSecretArn]: r.stripeSecretArn,
    [ENV.secretsExtensionPort]: String(r.secretsExtension.httpPort),
  };

  switch (name) {
    // The payment functions talk to Stripe only: the state machine reads and writes the order's
    // payment record itself (payment-flows.ts), so they get no table and no DynamoDB permission.
    case 'charge-payment':
      return {
        description: 'ChargePayment: create, confirm and capture the Stripe PaymentIntent (the state machine records it before each money step).',
        environment: { ...stripeSecret },
        statements: [stripeKey],
        layers: [r.secretsExtension.layerArn],
      };
    case 'refund-payment':
      return {
        description: 'RefundPayment: cancel or refund the order\'s PaymentIntent (compensation of ChargePayment).',
        environment: { ...stripeSecret },
        statements: [stripeKey],
        layers: [r.secretsExtension.layerArn],
      };
    case 'reserve-stock':
      return {
        description: 'ReserveStock: conditional stock decrements and the reservation record in one transaction.',
        environment: { ...table('stock'), ...table('orders') },
        statements: [statement('StockTransaction', STOCK_TRANSACTION_ACTIONS, [r.tables.stock.arn, r.tables.orders.arn])],
      };
    case 'release-stock':
      return {
        description: 'ReleaseStock: give reserved units back and close the reservation (compensation of ReserveStock).',
        environment: { ...table('stock'), ...table('orders') },
        statements: [statement('StockTransaction', STOCK_TRANSACTION_ACTIONS, [r.tables.stock.arn, r.tables.orders.arn])],
      };
    case 'book-shipment':
      return {
        description: 'BookShipment: book the parcel with the carrier API (idempotency key per order).',
        environment: { ...table('idempotency'), [ENV.carrierEndpoint]: r.carrierEndpoint },
        statements: [idempotency],
      };
    case 'emit-receipt':
      return {
        description: 'EmitReceipt: the receipt row and the OrderFulfilled event.',
        environment: { ...table('receipts'), ...table('idempotency'), [ENV.eventBusName]: r.eventBus.name },
        statements: [
          statement('ReceiptRecords', ['dynamodb:GetItem', 'dynamodb:PutItem'], [r.tables.receipts.arn]),
          statement('PublishOrderEvents', ['events:PutEvents'], [r.eventBus.arn]),
          idempotency,
        ],
      };
    case 'analyze-error':
      return {
        description: 'AnalyzeError: classify an unknown failure (rules, then Bedrock on redacted input).',
        environment: { [ENV.bedrockModelId]: r.bedrockModelId },
        statements: [statement('InvokeAnalysisModel', ['bedrock:InvokeModel'], r.bedrockResourceArns)],
      };
  }
}

/** Prefixes of Bedrock cross-region inference profiles. */
const PROFILE_PREFIX = /^(us|eu|apac|jp|au|ca|us-gov|global)\./;

/**
 * The resources `bedrock:InvokeModel` (which also authorises Converse) needs for a model id:
 * - a foundation model id: that model in the stack's region;
 * - an inference profile id (`eu.…`, `global.…`): the profile in this account and region, plus the
 *   model in whichever region the profile routes to (a region wildcard for one named model, as AWS
 *   documents; global profiles also need the region-less model ARN).
 */
export function bedrockResourceArns(modelId: string, ctx: { partition: string; region: string; accountId: string }): string[] {
  const { partition, region, accountId } = ctx;
  const profile = PROFILE_PREFIX.exec(modelId);
  if (!profile) return [`arn:${partition}:bedrock:${region}::foundation-model/${modelId}`];
  const model = modelId.slice(profile[0].length);
  return [
    `arn:${partition}:bedrock:${region}:${accountId}:inference-profile/${modelId}`,
    `arn:${partition}:bedrock:*::foundation-model/${model}`,
    ...(profile[1] === 'global' ? [`arn:${partition}:bedrock:::foundation-model/${model}`] : []),
  ];
}
