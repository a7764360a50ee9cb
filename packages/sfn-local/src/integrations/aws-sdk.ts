import type { JsonValue } from '@saga/asl';
import { StatesError } from '../errors.js';
import { asPromise, mapServiceError, toJson, underSignal } from './common.js';
import type { TaskInvocation, TaskResolver } from './types.js';

/**
 * Answers one AWS SDK integration call (`arn:aws:states:::aws-sdk:<service>:<action>`) with the
 * API's response. Throw an Error named like the API's exception (`NoSuchKey`) to fail the task
 * with `<ServicePascal>.<Name>Exception` (`S3.NoSuchKeyException`), or a StatesError for full control.
 */
export type AwsSdkHandler = (params: JsonValue, invocation: TaskInvocation) => Promise<JsonValue> | JsonValue;

/**
 * The error prefix of AWS SDK integrations: the service in PascalCase as the SDK names it
 * (`DynamoDb.`, `Sfn.`, `S3.`, `AcmPca.`). Unlisted services capitalise the first letter.
 */
const SERVICE_PREFIX: Record<string, string> = {
  acmpca: 'AcmPca',
  apigateway: 'ApiGateway',
  athena: 'Athena',
  batch: 'Batch',
  bedrock: 'Bedrock',
  bedrockruntime: 'BedrockRuntime',
  cloudformation: 'CloudFormation',
  cloudwatch: 'CloudWatch',
  cloudwatchlogs: 'CloudWatchLogs',
  codebuild: 'CodeBuild',
  cognitoidentityprovider: 'CognitoIdentityProvider',
  comprehend: 'Comprehend',
  dynamodb: 'DynamoDb',
  ec2: 'Ec2',
  ecs: 'Ecs',
  eks: 'Eks',
  emr: 'Emr',
  eventbridge: 'EventBridge',
  firehose: 'Firehose',
  glue: 'Glue',
  iam: 'Iam',
  kinesis: 'Kinesis',
  kms: 'Kms',
  lambda: 'Lambda',
  organizations: 'Organizations',
  pipes: 'Pipes',
  rekognition: 'Rekognition',
  s3: 'S3',
  sagemaker: 'SageMaker',
  scheduler: 'Scheduler',
  secretsmanager: 'SecretsManager',
  ses: 'Ses',
  sesv2: 'SesV2',
  sfn: 'Sfn',
  sns: 'Sns',
  sqs: 'Sqs',
  ssm: 'Ssm',
  sts: 'Sts',
  textract: 'Textract',
  translate: 'Translate',
  xray: 'XRay',
};

export function awsSdkErrorPrefix(service: string): string {
  return SERVICE_PREFIX[service] ?? service.charAt(0).toUpperCase() + service.slice(1);
}

/**
 * `arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]` answered by `handlers`, keyed
 * `'<service>:<action>'` (e.g. `'s3:getObject'`) or `'<service>:*'` for any action of a service.
 * Calls without a handler fall through (returns undefined) to the next resolver.
 */
export function createAwsSdkResolver(handlers: Record<string, AwsSdkHandler>): TaskResolver {
  return (invocation) => {
    const p = invocation.parsed;
    if (p.kind !== 'aws-sdk') return undefined;
    const handler = handlers[`${p.service}:${p.action}`] ?? handlers[`${p.service}:*`];
    if (!handler) return undefined;
    return asPromise(async () => {
      try {
        const raw = await underSignal(invocation.signal, () => handler(structuredClone(invocation.input), invocation));
        return toJson(raw);
      } catch (e) {
        if (invocation.signal.aborted) throw invocation.signal.reason;
        if (e instanceof StatesError) throw e;
        const prefix = awsSdkErrorPrefix(p.service);
        throw mapServiceError(e, prefix, `${prefix}Exception`);
      }
    });
  };
}
