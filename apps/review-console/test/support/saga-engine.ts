import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { LAMBDA_PAYLOAD_ONLY, lambdaInvoke, saga } from '@saga/asl';
import { SagaErrors, SagaSteps, type ErrorAnalysis } from '@saga/contracts';
import {
  chainResolvers,
  createLambdaResolver,
  createOutboxes,
  createSnsResolver,
  createSqsResolver,
  LambdaRegistry,
  startSfnLocal,
  unknownResourceResolver,
  type SfnLocal,
} from '@saga/sfn-local';

/**
 * The real saga (`saga()` from @saga/asl with the contracts' taxonomy) on sfn-local, each Lambda a
 * stub: BookShipment fails with `CarrierResponseInvalid` (an escalating error) until told
 * otherwise, so every order goes to AnalyzeError, then WaitForHumanReview. The engine serves the
 * review queue over the SQS API, as the console reads it in production.
 */

export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/saga-test-review`;
const fn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}`;

export const ANALYSIS: ErrorAnalysis = {
  source: 'rules',
  category: 'dependency',
  retriable: false,
  likelyCause: 'The carrier answered with a body that is not a booking; the booking may or may not exist.',
  remediation: ['Check the carrier portal for the booking', 'Retry if no booking exists'],
  confidence: 0.8,
};

const step = (name: string) => lambdaInvoke({ FunctionName: fn(name), 'Payload.$': '$' });

export const { definition } = saga({
  errors: SagaErrors,
  compensation: 'parallel',
  steps: [
    {
      name: SagaSteps.ChargePayment,
      invoke: step('charge'),
      resultSelector: LAMBDA_PAYLOAD_ONLY,
      timeoutSeconds: 30,
      compensation: { name: SagaSteps.RefundPayment, invoke: step('refund'), timeoutSeconds: 30 },
    },
    {
      name: SagaSteps.ReserveStock,
      invoke: step('reserve'),
      resultSelector: LAMBDA_PAYLOAD_ONLY,
      timeoutSeconds: 30,
      compensation: { name: SagaSteps.ReleaseStock, invoke: step('release'), timeoutSeconds: 30 },
    },
    { name: SagaSteps.BookShipment, invoke: step('book'), resultSelector: LAMBDA_PAYLOAD_ONLY, timeoutSeconds: 20 },
    { name: SagaSteps.EmitReceipt, invoke: step('emit'), resultSelector: LAMBDA_PAYLOAD_ONLY, timeoutSeconds: 20 },
  ],
  analysis: { name: SagaSteps.AnalyzeError, invoke: step('analyze'), resultSelector: LAMBDA_PAYLOAD_ONLY, timeoutSeconds: 60 },
  review: { queueUrl: QUEUE_URL, context: { 'orderId.$': '$.orderId' }, timeoutSeconds: 3600 },
});

export interface SagaEngine {
  local: SfnLocal;
  sfn: SFNClient;
  stateMachineArn: string;
  /** Which Lambda stubs ran, in order. */
  ledger: string[];
  /** Makes BookShipment succeed from now on (what a retry after a fix finds). */
  fixCarrier(): void;
  start(orderId: string): Promise<string>;
  /** The execution's description once it has ended. */
  finished(executionArn: string, timeoutMs?: number): Promise<{ status?: string; error?: string }>;
  close(): Promise<void>;
}

export async function startSagaEngine(): Promise<SagaEngine> {
  const ledger: string[] = [];
  let carrierBroken = true;
  const lambdas = new LambdaRegistry();
  const ok = (what: string) => async () => (ledger.push(what), { done: what });
  lambdas.register('charge', ok('charge'));
  lambdas.register('reserve', ok('reserve'));
  lambdas.register('emit', ok('emit'));
  lambdas.register('refund', ok('refund'));
  lambdas.register('release', ok('release'));
  lambdas.register('analyze', async () => (ledger.push('analyze'), ANALYSIS));
  lambdas.register('book', async () => {
    ledger.push('book');
    if (carrierBroken) throw Object.assign(new Error('carrier answered 200 with an HTML page'), { name: 'CarrierResponseInvalid' });
    return { shipmentId: 'shp-1' };
  });
  const outboxes = createOutboxes();
  const local = await startSfnLocal({
    resolve: chainResolvers(createLambdaResolver(lambdas), createSqsResolver(outboxes), createSnsResolver(outboxes), unknownResourceResolver),
    outboxes,
    region: REGION,
    account: ACCOUNT,
  });
  const sfn = new SFNClient({
    endpoint: local.endpoint,
    region: REGION,
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
  const { stateMachineArn } = await sfn.send(
    new CreateStateMachineCommand({ name: 'order-fulfilment', definition: JSON.stringify(definition), roleArn: `arn:aws:iam::${ACCOUNT}:role/saga` }),
  );
  return {
    local,
    sfn,
    stateMachineArn: stateMachineArn!,
    ledger,
    fixCarrier: () => {
      carrierBroken = false;
    },
    async start(orderId) {
      const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: orderId, input: JSON.stringify({ orderId }) }));
      return out.executionArn!;
    },
    async finished(executionArn, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
        if (d.status !== 'RUNNING') return d;
        if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      sfn.destroy();
      await local.close();
    },
  };
}
