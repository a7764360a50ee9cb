import type { HistoryEvent } from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { outcomeOf, pathOf } from './batch.js';
import { FunctionEnvironmentConflictError, localFunctionsEnvironment, localFunctionVariables } from './function-env.js';
import { FAULT_PROFILES, planBatch, SCENARIO_NAMES } from './scenarios.js';
import { localReferenceValues, referencesIn, resolveReferences, UnresolvedReferencesError, type TerraformJson } from './terraform.js';

const stack: TerraformJson = {
  provider: { aws: [{ region: 'eu-west-1' }] },
  resource: {
    aws_lambda_function: {
      'charge-payment': {
        function_name: 'saga-dev-charge-payment',
        environment: {
          variables: {
            ORDERS_TABLE: '${aws_dynamodb_table.orders.name}',
            STRIPE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:stripe-AbC123',
            POWERTOOLS_SERVICE_NAME: 'charge-payment',
            POWERTOOLS_LOG_LEVEL: 'INFO',
          },
        },
      },
      'book-shipment': {
        function_name: 'saga-dev-book-shipment',
        environment: { variables: { CARRIER_API_URL: 'https://carrier.example.com', ORDERS_TABLE: '${aws_dynamodb_table.orders.name}' } },
      },
    },
    aws_dynamodb_table: { orders: { name: 'saga-dev-orders' } },
    aws_sqs_queue: { review: { name: 'saga-dev-review' } },
    aws_sns_topic: { notifications: { name: 'saga-dev-notifications' } },
  },
};
const account = { region: 'eu-west-1', account: '123456789012' };
const addresses = {
  region: 'eu-west-1',
  stripe: { url: 'http://127.0.0.1:1', apiKey: 'sk_test_local' },
  carrierUrl: 'http://127.0.0.1:2',
  dynamodbEndpoint: 'http://127.0.0.1:3',
  eventBridgeEndpoint: 'http://127.0.0.1:4',
};

describe('Terraform references → local values', () => {
  const values = localReferenceValues(stack, account);

  it('gives ARNs and URLs in AWS formats, named after the resources', () => {
    expect(values.get('aws_lambda_function.charge-payment.arn')).toBe('arn:aws:lambda:eu-west-1:123456789012:function:saga-dev-charge-payment');
    expect(values.get('aws_sqs_queue.review.url')).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/saga-dev-review');
    expect(values.get('aws_sns_topic.notifications.arn')).toBe('arn:aws:sns:eu-west-1:123456789012:saga-dev-notifications');
    expect(values.get('aws_dynamodb_table.orders.name')).toBe('saga-dev-orders');
  });

  it('resolves every reference of a text, and names each one it cannot resolve', () => {
    const text = '{"Resource":"${aws_lambda_function.charge-payment.arn}","Q":"${aws_sqs_queue.review.url}"}';
    expect(referencesIn(resolveReferences(text, values, 'definition'))).toEqual([]);
    const unknown = () => resolveReferences('${aws_s3_bucket.x.arn} ${aws_kms_key.k.arn} ${aws_sqs_queue.review.url}', values, 'definition');
    expect(unknown).toThrow(UnresolvedReferencesError);
    expect(unknown).toThrow('definition: no local stand-in for ${aws_s3_bucket.x.arn}, ${aws_kms_key.k.arn}');
  });
});

describe('the functions’ local environment', () => {
  const values = localReferenceValues(stack, account);

  it('points each function at the stand-ins: a local Stripe key instead of the secret, the carrier stub, no Bedrock', () => {
    const env = localFunctionVariables(
      { STRIPE_SECRET_ARN: 'arn:…', CARRIER_API_URL: 'https://carrier.example.com', BEDROCK_MODEL_ID: 'eu.anthropic.x', POWERTOOLS_LOG_LEVEL: 'INFO' },
      values,
      addresses,
      'f',
    );
    expect(env).toEqual({ STRIPE_SECRET_KEY: 'sk_test_local', STRIPE_API_BASE: 'http://127.0.0.1:1', CARRIER_API_URL: 'http://127.0.0.1:2', POWERTOOLS_LOG_LEVEL: 'SILENT' });
    expect(localFunctionVariables({ BEDROCK_MODEL_ID: 'eu.anthropic.x' }, values, { ...addresses, bedrockModelId: 'my-model' }, 'f')).toEqual({
      BEDROCK_MODEL_ID: 'my-model',
    });
  });

  it('merges the functions (one process) with the runtime’s variables; the per-function service name is left out', () => {
    const env = localFunctionsEnvironment(stack, values, addresses);
    expect(env).toMatchObject({ ORDERS_TABLE: 'saga-dev-orders', AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:3' });
    expect(env).not.toHaveProperty('POWERTOOLS_SERVICE_NAME');
  });

  it('two functions wanting different values for one variable is an error, not a silent pick', () => {
    const clash: TerraformJson = structuredClone(stack);
    clash.resource['aws_lambda_function']!['book-shipment']!['environment'] = { variables: { ORDERS_TABLE: 'another-table' } };
    expect(() => localFunctionsEnvironment(clash, values, addresses)).toThrow(FunctionEnvironmentConflictError);
  });
});

describe('the demo batch plan', () => {
  it('is the same for the same seed, and its first orders take each scenario of the profile once', () => {
    const a = planBatch(20, { seed: 7, profile: 'mixed', prefix: 't' });
    expect(planBatch(20, { seed: 7, profile: 'mixed', prefix: 't' })).toEqual(a);
    expect(planBatch(20, { seed: 8, profile: 'mixed', prefix: 't' })).not.toEqual(a);
    expect(a.slice(0, SCENARIO_NAMES.length).map((p) => p.scenario.name)).toEqual(Object.keys(FAULT_PROFILES.mixed));
    expect(new Set(a.map((p) => p.order.orderId)).size).toBe(20);
  });

  it('draws only the profile’s scenarios', () => {
    const plan = planBatch(50, { seed: 1, profile: 'transient', prefix: 't' });
    expect(new Set(plan.map((p) => p.scenario.name))).toEqual(new Set(['happy', 'carrier-transient']));
  });
});

describe('reading a history', () => {
  const entered = (name: string): HistoryEvent => ({ type: 'TaskStateEntered', id: 0, timestamp: new Date(0), stateEnteredEventDetails: { name } });
  const scheduled: HistoryEvent = { type: 'TaskScheduled', id: 0, timestamp: new Date(0) };

  it('collapses retries into the path (×n) and counts them as transitions', () => {
    const history = [entered('ChargePayment'), scheduled, entered('BookShipment'), scheduled, scheduled, scheduled, entered('EmitReceipt'), scheduled];
    expect(pathOf(history)).toEqual({ path: ['ChargePayment', 'BookShipment ×3', 'EmitReceipt'], retries: 2, transitions: 5 });
  });

  it('names the three outcomes the saga promises, and anything else unexpected', () => {
    expect(outcomeOf('SUCCEEDED', undefined, false)).toBe('succeeded');
    expect(outcomeOf('FAILED', 'OrderFulfillmentFailed', false)).toBe('compensated');
    expect(outcomeOf('RUNNING', undefined, true)).toBe('awaiting review');
    expect(outcomeOf('FAILED', 'States.Runtime', false)).toBe('unexpected');
    expect(outcomeOf('RUNNING', undefined, false)).toBe('unexpected');
  });
});
