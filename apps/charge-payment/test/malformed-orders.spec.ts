import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvalidOrderError } from '@saga/contracts';
import {
  baseOrder,
  createLocalDynamoClient,
  createSagaTables,
  type DynamoServer,
  MALFORMED_ORDERS_MARKERS,
  malformedOrderCategory,
  malformedOrders,
  readStock,
  type SagaTableNames,
  seedStock,
  startDynalite,
  startStripeServer,
  type StripeServer,
  uniqueSagaTableNames,
} from '@saga/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler, defaultDeps } from '../src/lambda.js';

// Issue #7, bad input: every malformed order of the testkit corpus is refused by the real Lambda
// handler (built from its environment, as in production: Powertools logger, Stripe SDK against the
// Stripe-wire server, DynamoDB client against dynalite) with `InvalidOrder`, and nothing anywhere is
// touched: no Stripe request, no DynamoDB request, no item in any saga table.

let dynamo: DynamoServer;
let dynamodb: DynamoDBClient;
let stripe: StripeServer;
let tables: SagaTableNames;
const STOCK = { 'SKU-A': 10, 'SKU-B': 10 };

beforeAll(async () => {
  dynamo = await startDynalite();
  dynamodb = createLocalDynamoClient(dynamo.endpoint);
  stripe = await startStripeServer();
  tables = await createSagaTables(dynamodb, uniqueSagaTableNames('malformed'));
  await seedStock(dynamodb, tables.stock, STOCK);
});
afterAll(async () => {
  dynamodb?.destroy();
  await stripe?.close();
  await dynamo?.close();
});

async function itemCount(table: string): Promise<number> {
  const { Count } = await dynamodb.send(new ScanCommand({ TableName: table, ConsistentRead: true, Select: 'COUNT' }));
  return Count ?? 0;
}

/** The production handler, configured from the environment like the deployed Lambda. */
function productionHandler(logLevel: 'DEBUG' | 'SILENT') {
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', logLevel);
  return createHandler(
    defaultDeps({ ORDERS_TABLE: tables.orders, STRIPE_SECRET_KEY: stripe.apiKey, STRIPE_API_BASE: stripe.url, STRIPE_MAX_NETWORK_RETRIES: '0' }),
  );
}

describe('malformed orders at ChargePayment (the first step)', () => {
  it('are all refused with InvalidOrder, without any side effect, and the same handler still charges a valid order', async () => {
    const corpus = malformedOrders();
    const logs: string[] = [];
    const capture = (chunk: string | Uint8Array) => {
      logs.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    dynamo.clearRequests();
    const crashes: string[] = [];
    const echoes: string[] = [];
    const perCategory = new Map<string, number>();
    try {
      const handler = productionHandler('DEBUG');
      for (const entry of corpus) {
        perCategory.set(malformedOrderCategory(entry), (perCategory.get(malformedOrderCategory(entry)) ?? 0) + 1);
        let outcome: unknown;
        try {
          outcome = { resolved: await handler(entry.order === undefined ? {} : { order: entry.order }) };
        } catch (error) {
          outcome = error;
        }
        if (!(outcome instanceof InvalidOrderError) || outcome.name !== 'InvalidOrder') {
          crashes.push(`${entry.name}: ${outcome instanceof Error ? `${outcome.name}: ${outcome.message}` : JSON.stringify(outcome)?.slice(0, 200)}`);
          continue;
        }
        // The message names paths and codes only: never the values (PII, injected payloads).
        const echoed = MALFORMED_ORDERS_MARKERS.filter((marker) => outcome.message.includes(marker));
        if (echoed.length > 0 || outcome.issues.length === 0) echoes.push(`${entry.name}: ${outcome.message}`);
      }
    } finally {
      out.mockRestore();
      err.mockRestore();
      vi.unstubAllEnvs();
    }

    const stripeRequests = stripe.requests().length;
    const paymentIntents = stripe.ledger().length;
    const dynamoRequests = dynamo.requests().length;
    const items = (await Promise.all([tables.orders, tables.receipts, tables.idempotency].map(itemCount))).reduce((a, b) => a + b, 0);
    const stock = await readStock(dynamodb, tables.stock);
    const stockChanged = Object.entries(STOCK).filter(([sku, units]) => stock[sku] !== units).length;
    const polluted = ['polluted', 'isAdmin', 'unitPrice', 'paymentMethodId'].filter((key) => key in {});
    const logText = logs.join('');
    const leaked = MALFORMED_ORDERS_MARKERS.filter((marker) => logText.includes(marker));
    const sideEffects = stripeRequests + paymentIntents + dynamoRequests + items + stockChanged + polluted.length;

    console.log(
      `ChargePayment: ${corpus.length} malformed orders tried (${[...perCategory].map(([c, n]) => `${c} ${n}`).join(', ')}), ` +
        `${corpus.length - crashes.length} refused with InvalidOrder, ${crashes.length} crashes, ${sideEffects} side effects ` +
        `(Stripe requests ${stripeRequests}, PaymentIntents ${paymentIntents}, DynamoDB requests ${dynamoRequests}, items ${items}, ` +
        `stock rows changed ${stockChanged}, prototype keys ${polluted.length})`,
    );
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(perCategory.size).toBe(16);
    expect(crashes).toEqual([]);
    expect(echoes).toEqual([]);
    expect(leaked).toEqual([]);
    expect(sideEffects).toBe(0);

    // The control: the very same wiring charges a valid order (so "no request" was the handler's doing).
    try {
      const result = await productionHandler('SILENT')({ order: baseOrder() });
      expect(result).toMatchObject({ status: 'captured', amount: 1250 + 2 * 499 });
    } finally {
      vi.unstubAllEnvs();
    }
    expect(stripe.ledger()).toHaveLength(1);
    expect(await itemCount(tables.orders)).toBe(1);
  });
});
