import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  SFNClient,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { startReviewConsole, type ReviewConsole } from '@saga/review-console';
import {
  chainResolvers,
  createDynamoDbResolver,
  createEventBridgeResolver,
  createLambdaRegistry,
  createLambdaResolver,
  createOutboxes,
  createSnsResolver,
  createSqsResolver,
  Journal,
  startSfnLocal,
  unknownResourceResolver,
  type ClockMode,
  type LambdaHandler,
  type OutboxRecord,
  type Outboxes,
  type SfnLocal,
} from '@saga/sfn-local';
import { startCarrierStub, startDynamoDbLocal, startStripeServer, type CarrierStub, type DynamoServer, type StripeServer } from '@saga/testkit';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleDirs, BUNDLE_ENTRY, REPO_ROOT } from '../bundles.js';
import { FUNCTION_NAMES, type FunctionName } from '../config.js';
import { loadEnvironments } from '../environments.js';
import { localFunctionsEnvironment } from './function-env.js';
import { CATALOGUE } from './scenarios.js';
import { createStackTables } from './tables.js';
import {
  localReferenceValues,
  onlyResourceOf,
  readSynthesizedStack,
  resolveReferences,
  resourceOf,
  stringAttribute,
  synthesizedFile,
  type TerraformJson,
} from './terraform.js';

/**
 * The synthesized stack, running on one machine: the state machine definition from `cdktf.out`
 * (references resolved) on `@saga/sfn-local`, the apps' built Lambda bundles as its functions,
 * DynamoDB Local with the stack's tables, the local Stripe-wire server, the carrier stub, the
 * engine's local queue/topic/bus for SQS/SNS/EventBridge, and the review console. Everything keeps
 * its data under `dataDir`, so a restart finds the orders where they were.
 */

export interface LocalStackOptions {
  /** Data of the engine, DynamoDB Local and the Stripe server. */
  dataDir: string;
  /** @default 'dev' */
  stackName?: string;
  /** The repository (where `cdktf.out` and `apps/` are). @default this checkout */
  root?: string;
  /** @default 'virtual' */
  clock?: ClockMode;
  /** Seeds the engine's jitter and tokens. @default 1 */
  seed?: number;
  /** @default 0 (any free port) */
  sfnPort?: number;
  /** Start the review console on this port (0 = any); absent: no console. */
  consolePort?: number;
  /** Real Bedrock with this model id (needs AWS credentials); absent: the rules classifier. */
  bedrockModelId?: string;
  /** Powertools log level of the functions. @default 'SILENT' */
  functionLogLevel?: string;
  /** Progress lines. @default nothing */
  log?: (line: string) => void;
  /** Wraps each function's handler (the bundle's `handler`, imported on first call): fault injection by the verifier. */
  wrapFunction?: (fn: FunctionName, handler: LambdaHandler) => LambdaHandler;
  /**
   * Keep nothing on disk: DynamoDB Local, the Stripe account and the carrier's bookings in memory, no
   * engine journal (the verifier runs thousands of short orders; rewriting the Stripe and carrier data
   * files after every request is quadratic in the orders run). `dataDir` is then unused. @default false
   */
  ephemeral?: boolean;
}

export interface LocalStack {
  readonly region: string;
  readonly account: string;
  readonly sfnEndpoint: string;
  readonly consoleUrl: string | undefined;
  readonly stateMachineArn: string;
  readonly queueUrl: string;
  readonly topicArn: string;
  readonly busName: string;
  readonly tables: { stock: string; orders: string; receipts: string };
  /** Which error analysis the run has: 'bedrock' when a model id is configured, 'rules' otherwise. */
  readonly analysis: 'bedrock' | 'rules';
  readonly sfn: SFNClient;
  readonly dynamodb: DynamoDBClient;
  readonly outboxes: Outboxes;
  readonly stripe: StripeServer;
  readonly carrier: CarrierStub;
  readonly engine: SfnLocal;
  /** Stops everything (the data stays in `dataDir`). */
  close(): Promise<void>;
}

const LOCAL_ACCOUNT = '123456789012';

/** Starts the stand-ins, the engine (with the synthesized state machine) and the console. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const root = options.root ?? REPO_ROOT;
  const stackName = options.stackName ?? 'dev';
  const log = options.log ?? (() => undefined);
  const stack = readSynthesizedStack(synthesizedFile(root, stackName));
  const region = stack.provider?.aws?.[0]?.region ?? 'us-east-1';
  const account = LOCAL_ACCOUNT;
  const references = localReferenceValues(stack, { region, account });
  const dataDir = resolve(options.dataDir);
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };

  try {
    log('starting DynamoDB Local, the Stripe-wire server and the carrier stub');
    const [dynamo, stripe, carrier] = await Promise.all([
      startDynamoDbLocal(options.ephemeral ? {} : { path: join(dataDir, 'dynamodb') }),
      startStripeServer(options.ephemeral ? {} : { dataFile: join(dataDir, 'stripe.json') }),
      startCarrierStub(options.ephemeral ? {} : { dataFile: join(dataDir, 'carrier.json') }),
    ]);
    closers.push(() => dynamo.close(), () => stripe.close(), () => carrier.close());
    const dynamodb = localDynamoClient(dynamo);
    closers.push(() => dynamodb.destroy());
    const tableNames = await createStackTables(dynamodb, stack);
    const tables = { stock: tableNames['stock']!, orders: tableNames['orders']!, receipts: tableNames['receipts']! };
    await seedCatalogue(dynamodb, tables.stock);

    const journal = options.ephemeral ? undefined : Journal.open({ dir: join(dataDir, 'engine') });
    const outboxes = createOutboxes();
    if (journal) {
      outboxes.restore(journal.records('outbox') as OutboxRecord[]);
      outboxes.onRecord((record) => journal.append('outbox', record, { durable: record.kind === 'sqs-delete' }));
    }

    const lambdas = createLambdaRegistry();
    const coldStart = `${Date.now().toString(36)}-${(startCount++).toString(36)}`;
    const bundles = bundleDirs(stackConfig(stackName));
    for (const [key, resource] of Object.entries(stack.resource['aws_lambda_function'] ?? {})) {
      if (!(FUNCTION_NAMES as readonly string[]).includes(key)) throw new Error(`aws_lambda_function.${key} is not one of the apps`);
      const name = stringAttribute(resource, 'function_name', `aws_lambda_function.${key}`);
      const file = join(bundles[key as FunctionName], BUNDLE_ENTRY);
      const timeoutMs = Number(resource['timeout'] ?? 3) * 1000;
      const handler = bundleHandler(file, coldStart);
      lambdas.register(name, options.wrapFunction ? options.wrapFunction(key as FunctionName, handler) : handler, { timeoutMs });
    }

    // The payment subflows read and write the order record through dynamodb:getItem/updateItem.
    const dynamoDbTasks = createDynamoDbResolver({ endpoint: dynamo.endpoint });
    closers.push(() => dynamoDbTasks.destroy());
    const engine = await startSfnLocal({
      port: options.sfnPort ?? 0,
      host: '127.0.0.1',
      resolve: chainResolvers(
        createLambdaResolver(lambdas),
        dynamoDbTasks,
        createSqsResolver(outboxes),
        createSnsResolver(outboxes),
        createEventBridgeResolver(outboxes),
        unknownResourceResolver,
      ),
      outboxes,
      ...(journal ? { journal } : {}),
      clockMode: options.clock ?? 'virtual',
      seed: options.seed ?? 1,
      region,
      account,
    });
    closers.push(() => engine.close());

    // The functions run in this process: they read the environment at their cold start.
    const env = localFunctionsEnvironment(stack, references, {
      region,
      stripe: { url: stripe.url, apiKey: stripe.apiKey },
      carrierUrl: carrier.url,
      dynamodbEndpoint: dynamo.endpoint,
      eventBridgeEndpoint: engine.endpoint,
      ...(options.bedrockModelId ? { bedrockModelId: options.bedrockModelId } : {}),
      ...(options.functionLogLevel ? { logLevel: options.functionLogLevel } : {}),
    });
    if (!options.bedrockModelId) Object.assign(env, { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' });
    const restoreEnv = applyEnvironment(env);
    closers.push(restoreEnv);

    const sfn = new SFNClient({ endpoint: engine.endpoint, region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    closers.push(() => sfn.destroy());
    const stateMachineArn = await deployStateMachine(sfn, stack, references);
    log(`state machine ${stateMachineArn}`);

    const queueUrl = references.get('aws_sqs_queue.review.url')!;
    let console: ReviewConsole | undefined;
    if (options.consolePort !== undefined) {
      console = await startReviewConsole({
        queueUrl,
        stateMachineArn,
        sfnEndpoint: engine.endpoint,
        region,
        port: options.consolePort,
        reviewer: 'local reviewer',
        pollWaitSeconds: 1,
        log: (line) => log(`review console: ${line}`),
      });
      closers.push(() => console!.close());
    }

    return {
      region,
      account,
      sfnEndpoint: engine.endpoint,
      consoleUrl: console?.url,
      stateMachineArn,
      queueUrl,
      topicArn: references.get('aws_sns_topic.notifications.arn')!,
      busName: references.get('aws_cloudwatch_event_bus.events.name')!,
      tables,
      analysis: options.bedrockModelId ? 'bedrock' : 'rules',
      sfn,
      dynamodb,
      outboxes,
      stripe,
      carrier,
      engine,
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

let startCount = 0;

/**
 * A bundle's `handler`, imported on first call (as Lambda's cold start does). Each start of the
 * local stack imports its own instance (`?cold=<start>`): a module keeps the clients it made at its
 * cold start, which would still point at the stand-ins of an earlier start in this process.
 */
function bundleHandler(file: string, coldStart: string): LambdaHandler {
  let loaded: Promise<LambdaHandler> | undefined;
  return async (event, context) => {
    loaded ??= import(`${pathToFileURL(file).href}?cold=${coldStart}`).then((m: { handler?: LambdaHandler }) => {
      if (typeof m.handler !== 'function') throw new Error(`${file} exports no handler`);
      return m.handler;
    });
    return (await loaded)(event, context);
  };
}

function stackConfig(stackName: string) {
  const config = loadEnvironments().find((e) => e.stackName === stackName);
  if (!config) throw new Error(`no environment named '${stackName}' in stacks/fulfilment/src/environments.ts`);
  return config;
}

function localDynamoClient(server: DynamoServer): DynamoDBClient {
  return new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** The catalogue's starting stock, written once: a restart keeps what orders took. */
async function seedCatalogue(dynamodb: DynamoDBClient, table: string): Promise<void> {
  for (const [sku, { stock }] of Object.entries(CATALOGUE)) {
    try {
      await dynamodb.send(
        new PutItemCommand({
          TableName: table,
          Item: { sku: { S: sku }, available: { N: String(stock) } },
          ConditionExpression: 'attribute_not_exists(sku)',
        }),
      );
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException)) throw e;
    }
  }
}

/** Sets the variables; the result puts the previous values back. */
function applyEnvironment(env: Record<string, string>): () => void {
  const previous = new Map(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  return () => {
    for (const [k, v] of previous) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

/**
 * Creates the stack's state machine on the engine through the Step Functions API (as Terraform
 * would on AWS), or updates it when a restart brings a new definition.
 */
async function deployStateMachine(sfn: SFNClient, stack: TerraformJson, references: ReadonlyMap<string, string>): Promise<string> {
  const { name: key, resource } = onlyResourceOf(stack, 'aws_sfn_state_machine');
  const where = `aws_sfn_state_machine.${key}`;
  const definition = resolveReferences(stringAttribute(resource, 'definition', where), references, `${where}.definition`);
  const roleArn = resolveReferences(stringAttribute(resource, 'role_arn', where), references, `${where}.role_arn`);
  const name = stringAttribute(resource, 'name', where);
  const type = (resource['type'] as 'STANDARD' | 'EXPRESS' | undefined) ?? 'STANDARD';
  resourceOf(stack, 'aws_sqs_queue', 'review');
  const existing = await findStateMachine(sfn, name);
  if (existing) {
    const current = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: existing }));
    if (current.definition !== definition) await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: existing, definition, roleArn }));
    return existing;
  }
  const created = await sfn.send(new CreateStateMachineCommand({ name, definition, roleArn, type }));
  return created.stateMachineArn!;
}

async function findStateMachine(sfn: SFNClient, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await sfn.send(new ListStateMachinesCommand({ ...(nextToken ? { nextToken } : {}) }));
    const hit = page.stateMachines?.find((m) => m.name === name);
    if (hit) return hit.stateMachineArn;
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}
