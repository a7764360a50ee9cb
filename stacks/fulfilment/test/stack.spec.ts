import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { Testing } from 'cdktf';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES, TASK_TIMEOUT_MARGIN_SECONDS, type EnvironmentConfig } from '../src/config.js';
import { LOCAL_STATE_DIR, REVIEW_MAX_RECEIVE_COUNT } from '../src/fulfilment-stack.js';
import { lambdaPackage } from '../src/lambda-zip.js';
import { STEP_FUNCTIONS } from '../src/workflow.js';
import { configWithBundles, makeFixtureBundles, synthStack, type TerraformJson } from './support/fixtures.js';

const { root, dirs, cleanup } = makeFixtureBundles();
afterAll(cleanup);
let dev: EnvironmentConfig;
let json: TerraformJson;
let outdir: string;
let prodJson: TerraformJson;
let prod: EnvironmentConfig;

beforeAll(() => {
  dev = configWithBundles(dirs);
  const synthesized = synthStack(dev);
  json = synthesized.json;
  outdir = synthesized.app.outdir;
  prod = configWithBundles(dirs, {}, 'prod');
  prodJson = synthStack(prod).json;
});

const resources = (j: TerraformJson, type: string) => j.resource[type] ?? {};

describe('provider and backend', () => {
  it('pins the AWS provider region and tags every resource', () => {
    expect(json.provider['aws']).toEqual([
      {
        region: 'eu-west-1',
        default_tags: [
          { tags: { project: 'order-fulfilment-saga', environment: 'dev', 'managed-by': 'cdktf', 'cost-center': 'fulfilment-dev' } },
        ],
      },
    ]);
    expect(json.terraform['required_providers'].aws).toEqual({ source: 'aws', version: '6.25.0' });
  });

  it('uses a local backend by default, with a relative path to stacks/fulfilment/terraform-state/<stack>.tfstate', () => {
    const path: string = json.terraform['backend'].local.path;
    expect(isAbsolute(path)).toBe(false);
    // Relative to the stack's working directory <outdir>/stacks/dev; here <outdir> is a temp dir.
    expect(resolve(outdir, 'stacks', 'dev', path)).toBe(resolve(LOCAL_STATE_DIR, 'dev.tfstate'));
  });

  it('uses S3 with S3-native locking (use_lockfile) when configured for CI', () => {
    const { json: s3 } = synthStack(dev, { type: 's3', bucket: 'acme-tf-state', region: 'eu-central-1', keyPrefix: 'saga' });
    expect(s3.terraform['backend']).toEqual({
      s3: { bucket: 'acme-tf-state', key: 'saga/dev.tfstate', region: 'eu-central-1', encrypt: true, use_lockfile: true },
    });
  });

  it('uses a DynamoDB lock table instead when one is named', () => {
    const { json: s3 } = synthStack(dev, {
      type: 's3',
      bucket: 'acme-tf-state',
      region: 'eu-central-1',
      keyPrefix: 'order-fulfilment',
      lockTable: 'tf-locks',
    });
    expect(s3.terraform['backend'].s3).toMatchObject({ key: 'order-fulfilment/dev.tfstate', dynamodb_table: 'tf-locks' });
    expect(s3.terraform['backend'].s3).not.toHaveProperty('use_lockfile');
  });
});

describe('Lambda functions', () => {
  it('has one function per app, addressed by the app name', () => {
    expect(Object.keys(resources(json, 'aws_lambda_function')).sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it.each(FUNCTION_NAMES)('%s: nodejs22.x on arm64, memory/timeout from config, X-Ray active, JSON logs to its log group', (name) => {
    const fn = resources(json, 'aws_lambda_function')[name];
    expect(fn).toMatchObject({
      function_name: `saga-dev-${name}`,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'handler.handler',
      memory_size: dev.functions[name].memoryMb,
      timeout: dev.functions[name].timeoutSeconds,
      tracing_config: { mode: 'Active' },
      logging_config: { log_format: 'JSON', log_group: `\${aws_cloudwatch_log_group.${name}.name}` },
      role: `\${aws_iam_role.${name}.arn}`,
    });
    expect(fn.depends_on).toEqual(expect.arrayContaining([`aws_cloudwatch_log_group.${name}`, `aws_iam_role_policy.${name}`]));
    expect(fn.environment.variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: name });
  });

  it('deploys each bundle as a zip asset whose source_code_hash is the zip\'s base64 SHA-256', () => {
    for (const name of FUNCTION_NAMES) {
      const fn = resources(json, 'aws_lambda_function')[name];
      const pkg = lambdaPackage(dirs[name], join(root, '.packages'));
      expect(fn.filename).toMatch(new RegExp(`^assets/${name}_code_[A-F0-9]+/[A-F0-9]+/[0-9a-f]{64}\\.zip$`));
      expect(fn.source_code_hash).toBe(createHash('sha256').update(readFileSync(pkg.file)).digest('base64'));
    }
  });

  it('attaches the AWS Parameters and Secrets Lambda Extension (arm64, the region\'s layer) to the payment functions only', () => {
    const layer = 'arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:4';
    const fns = resources(json, 'aws_lambda_function');
    expect(fns['charge-payment'].layers).toEqual([layer]);
    expect(fns['refund-payment'].layers).toEqual([layer]);
    for (const name of FUNCTION_NAMES.filter((n) => n !== 'charge-payment' && n !== 'refund-payment')) {
      expect(fns[name], name).not.toHaveProperty('layers');
      expect(fns[name].environment.variables, name).not.toHaveProperty('PARAMETERS_SECRETS_EXTENSION_HTTP_PORT');
    }
  });

  it('takes the extension layer version, a whole layer ARN or the port from the environment', () => {
    const version = synthStack(configWithBundles(dirs, { secretsExtension: { layerVersion: 12 } })).json;
    expect(resources(version, 'aws_lambda_function')['charge-payment'].layers).toEqual([
      'arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:12',
    ]);
    const arn = 'arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:96';
    const custom = synthStack(configWithBundles(dirs, { secretsExtension: { layerArn: arn, httpPort: 2780 } })).json;
    expect(resources(custom, 'aws_lambda_function')['refund-payment']).toMatchObject({
      layers: [arn],
      environment: { variables: { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2780' } },
    });
  });

  it('takes per-function memory and timeout from the environment (prod overrides)', () => {
    expect(resources(prodJson, 'aws_lambda_function')['charge-payment']).toMatchObject({ memory_size: 1024, timeout: 20 });
    expect(resources(prodJson, 'aws_lambda_function')['reserve-stock']).toMatchObject({ memory_size: 256, timeout: 10 });
  });

  it('passes each function the names and endpoints it reads', () => {
    const env = (name: string) => resources(json, 'aws_lambda_function')[name].environment.variables;
    // The payment functions talk to Stripe only: the state machine keeps the order's payment record.
    for (const name of ['charge-payment', 'refund-payment']) {
      expect(env(name)).toEqual({
        POWERTOOLS_SERVICE_NAME: name,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        STRIPE_SECRET_ARN: dev.stripeSecretArn,
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773',
      });
    }
    for (const name of ['reserve-stock', 'release-stock']) {
      expect(env(name)).toMatchObject({ STOCK_TABLE: '${aws_dynamodb_table.stock.name}', ORDERS_TABLE: '${aws_dynamodb_table.orders.name}' });
    }
    expect(env('book-shipment')).toMatchObject({ CARRIER_API_URL: dev.carrierEndpoint });
    expect(env('emit-receipt')).toMatchObject({
      RECEIPTS_TABLE: '${aws_dynamodb_table.receipts.name}',
      EVENT_BUS_NAME: '${aws_cloudwatch_event_bus.events.name}',
    });
    expect(env('analyze-error')).toEqual({
      POWERTOOLS_SERVICE_NAME: 'analyze-error',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      BEDROCK_MODEL_ID: dev.bedrockModelId,
    });
    // No function gets a secret value, only the secret's ARN.
    expect(JSON.stringify(resources(json, 'aws_lambda_function'))).not.toMatch(/sk_(live|test)_/);
  });

  it('gives every function its own log group with the configured retention', () => {
    for (const name of FUNCTION_NAMES) {
      expect(resources(json, 'aws_cloudwatch_log_group')[name]).toEqual({ name: `/aws/lambda/saga-dev-${name}`, retention_in_days: 14 });
      expect(resources(prodJson, 'aws_cloudwatch_log_group')[name]).toMatchObject({ retention_in_days: 90 });
    }
  });
});

describe('data, events, queues, notifications', () => {
  it('has the four tables, on demand, with point-in-time recovery and server-side encryption', () => {
    const tables = resources(json, 'aws_dynamodb_table');
    expect(Object.keys(tables).sort()).toEqual(['idempotency', 'orders', 'receipts', 'stock']);
    for (const table of Object.values(tables)) {
      expect(table).toMatchObject({
        billing_mode: 'PAY_PER_REQUEST',
        point_in_time_recovery: { enabled: true },
        server_side_encryption: { enabled: true },
        deletion_protection_enabled: false,
      });
    }
    expect(tables['stock']).toMatchObject({ name: 'saga-dev-stock', hash_key: 'sku', attribute: [{ name: 'sku', type: 'S' }] });
    expect(tables['orders']).toMatchObject({ hash_key: 'pk', range_key: 'sk' });
    expect(tables['receipts']).toMatchObject({ hash_key: 'orderId' });
    expect(tables['idempotency']).toMatchObject({ hash_key: 'id', ttl: { attribute_name: 'expiration', enabled: true } });
    for (const table of Object.values(resources(prodJson, 'aws_dynamodb_table'))) {
      expect(table).toMatchObject({ deletion_protection_enabled: true });
    }
  });

  it('has the EventBridge bus', () => {
    expect(resources(json, 'aws_cloudwatch_event_bus')).toEqual({ events: { name: 'saga-dev-events' } });
  });

  it('has the review queue with SSE and a redrive policy to its DLQ, which only it may use', () => {
    const queues = resources(json, 'aws_sqs_queue');
    expect(queues['review']).toMatchObject({ name: 'saga-dev-review', sqs_managed_sse_enabled: true, message_retention_seconds: 1_209_600 });
    expect(JSON.parse(queues['review'].redrive_policy)).toEqual({
      deadLetterTargetArn: '${aws_sqs_queue.review-dlq.arn}',
      maxReceiveCount: REVIEW_MAX_RECEIVE_COUNT,
    });
    expect(queues['review-dlq']).toMatchObject({ name: 'saga-dev-review-dlq', sqs_managed_sse_enabled: true });
    const allow = resources(json, 'aws_sqs_queue_redrive_allow_policy')['review-dlq'];
    expect(allow.queue_url).toBe('${aws_sqs_queue.review-dlq.url}');
    expect(JSON.parse(allow.redrive_allow_policy)).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: ['${aws_sqs_queue.review.arn}'] });
    // A review may not outlive its message.
    expect(queues['review'].message_retention_seconds).toBeGreaterThan(dev.review.timeoutSeconds);
  });

  it('has the notification topic with the alarm e-mail subscribed', () => {
    expect(resources(json, 'aws_sns_topic')).toEqual({ notifications: { name: 'saga-dev-notifications' } });
    expect(resources(json, 'aws_sns_topic_subscription')).toEqual({
      'notifications-email': { topic_arn: '${aws_sns_topic.notifications.arn}', protocol: 'email', endpoint: dev.alarmEmail },
    });
  });

  it('references the Stripe secret by ARN and creates no secret', () => {
    expect(Object.keys(json.resource).filter((t) => t.startsWith('aws_secretsmanager'))).toEqual([]);
  });
});

describe('state machine', () => {
  it('is STANDARD, logs ERROR without execution data to its own log group, and is traced', () => {
    const sm = resources(json, 'aws_sfn_state_machine')['order-fulfilment'];
    expect(sm).toMatchObject({
      name: 'saga-dev-order-fulfilment',
      type: 'STANDARD',
      role_arn: '${aws_iam_role.order-fulfilment.arn}',
      logging_configuration: {
        level: 'ERROR',
        include_execution_data: false,
        log_destination: '${aws_cloudwatch_log_group.order-fulfilment.arn}:*',
      },
      tracing_configuration: { enabled: true },
      depends_on: ['aws_iam_role_policy.order-fulfilment'],
    });
    expect(resources(json, 'aws_cloudwatch_log_group')['order-fulfilment']).toEqual({
      name: '/aws/vendedlogs/states/saga-dev-order-fulfilment',
      retention_in_days: 14,
    });
    expect(Testing.toHaveResourceWithProperties(JSON.stringify(json), SfnStateMachine.tfResourceType, { type: 'STANDARD' })).toBe(true);
  });

  it('logs execution data only when an environment opts in', () => {
    const { json: verbose } = synthStack({ ...dev, stateMachine: { includeExecutionData: true } });
    expect(resources(verbose, 'aws_sfn_state_machine')['order-fulfilment'].logging_configuration.include_execution_data).toBe(true);
  });

  it('gives every Lambda Task its function\'s timeout plus the margin', () => {
    const definition = JSON.parse(resources(json, 'aws_sfn_state_machine')['order-fulfilment'].definition);
    const invoked = new Set<string>();
    for (const [state, task] of lambdaTasks(definition)) {
      const fn = /^\$\{aws_lambda_function\.([a-z-]+)\.arn\}$/.exec(task.Parameters.FunctionName)![1] as keyof typeof dev.functions;
      invoked.add(fn);
      expect(task.TimeoutSeconds, state).toBe(dev.functions[fn].timeoutSeconds + TASK_TIMEOUT_MARGIN_SECONDS);
    }
    expect([...invoked].sort()).toEqual(Object.values(STEP_FUNCTIONS).sort());
  });
});

describe('alarms and outputs', () => {
  it('alarms on failed executions, to the topic', () => {
    expect(resources(json, 'aws_cloudwatch_metric_alarm')['executions-failed']).toMatchObject({
      alarm_name: 'saga-dev-executions-failed',
      namespace: 'AWS/States',
      metric_name: 'ExecutionsFailed',
      dimensions: { StateMachineArn: '${aws_sfn_state_machine.order-fulfilment.arn}' },
      statistic: 'Sum',
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      alarm_actions: ['${aws_sns_topic.notifications.arn}'],
    });
  });

  it('alarms on the age of the oldest review request, below the review timeout', () => {
    const alarm = resources(json, 'aws_cloudwatch_metric_alarm')['review-queue-age'];
    expect(alarm).toMatchObject({
      namespace: 'AWS/SQS',
      metric_name: 'ApproximateAgeOfOldestMessage',
      dimensions: { QueueName: '${aws_sqs_queue.review.name}' },
      statistic: 'Maximum',
      threshold: dev.review.queueAgeAlarmSeconds,
      comparison_operator: 'GreaterThanThreshold',
      alarm_actions: ['${aws_sns_topic.notifications.arn}'],
    });
    expect(alarm.threshold).toBeLessThan(dev.review.timeoutSeconds);
    expect(resources(json, 'aws_cloudwatch_metric_alarm')['review-dlq-messages']).toMatchObject({
      metric_name: 'ApproximateNumberOfMessagesVisible',
      dimensions: { QueueName: '${aws_sqs_queue.review-dlq.name}' },
    });
  });

  it('outputs the state machine ARN, the queue URL and the console settings', () => {
    expect(json.output['state_machine_arn']).toEqual({ value: '${aws_sfn_state_machine.order-fulfilment.arn}' });
    expect(json.output['review_queue_url']).toEqual({ value: '${aws_sqs_queue.review.url}' });
    expect(json.output['notification_topic_arn']).toEqual({ value: '${aws_sns_topic.notifications.arn}' });
    expect(json.output['event_bus_name']).toEqual({ value: '${aws_cloudwatch_event_bus.events.name}' });
    const tables = {
      stock: '${aws_dynamodb_table.stock.name}',
      orders: '${aws_dynamodb_table.orders.name}',
      receipts: '${aws_dynamodb_table.receipts.name}',
      idempotency: '${aws_dynamodb_table.idempotency.name}',
    };
    expect(json.output['table_names'].value).toEqual(tables);
    expect(json.output['console_settings'].value).toEqual({
      region: 'eu-west-1',
      stateMachineArn: '${aws_sfn_state_machine.order-fulfilment.arn}',
      reviewQueueUrl: '${aws_sqs_queue.review.url}',
      tables,
    });
  });
});

describe('the whole inventory', () => {
  it('has exactly the resources and data sources the design lists', () => {
    const count = Object.fromEntries(Object.entries(json.resource).map(([type, byName]) => [type, Object.keys(byName).length]));
    expect(count).toEqual({
      aws_cloudwatch_event_bus: 1,
      aws_cloudwatch_log_group: 8,
      aws_cloudwatch_metric_alarm: 3,
      aws_dynamodb_table: 4,
      aws_iam_role: 8,
      aws_iam_role_policy: 8,
      aws_lambda_function: 7,
      aws_sfn_state_machine: 1,
      aws_sns_topic: 1,
      aws_sns_topic_subscription: 1,
      aws_sqs_queue: 2,
      aws_sqs_queue_redrive_allow_policy: 1,
    });
    expect(Object.keys(json.data).sort()).toEqual(['aws_caller_identity', 'aws_partition']);
  });

  it('synthesizes one stack per environment with distinct names', () => {
    expect(resources(prodJson, 'aws_sfn_state_machine')['order-fulfilment'].name).toBe('saga-prod-order-fulfilment');
    expect(prodJson.terraform['backend'].local.path).toMatch(/terraform-state\/prod\.tfstate$/);
  });
});

/** Every `lambda:invoke` Task, Parallel branches included, by state name. */
function lambdaTasks(definition: { States: Record<string, any> }): [string, any][] {
  return Object.entries(definition.States).flatMap(([name, state]): [string, any][] => [
    ...(state.Resource === 'arn:aws:states:::lambda:invoke' ? [[name, state] as [string, any]] : []),
    ...(state.Branches ?? []).flatMap(lambdaTasks),
  ]);
}
