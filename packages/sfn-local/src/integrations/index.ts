export type { ExecutionIdentity, IntegrationPattern, ParsedResource, TaskInvocation, TaskResolver } from './types.js';
export { describeResource, parseResource } from './resource.js';
export { chainResolvers, unknownResourceResolver } from './resolvers.js';
export {
  createLambdaRegistry,
  createLambdaResolver,
  functionNameOf,
  LambdaRegistry,
  type LambdaContext,
  type LambdaFault,
  type LambdaFunctionOptions,
  type LambdaHandler,
} from './lambda.js';
export {
  busNameOf,
  createOutboxes,
  LocalBus,
  LocalQueue,
  LocalTopic,
  Outboxes,
  type EventBridgeEvent,
  type EventBusFault,
  type MessageOrigin,
  type OutboxesOptions,
  type OutboxListener,
  type OutboxRecord,
  type ReceivedSqsMessage,
  type VisibilityChange,
  type SnsMessage,
  type SqsMessage,
} from './outbox.js';
export { createSqsResolver, md5Hex, md5OfMessageAttributes } from './sqs.js';
export { createSnsResolver } from './sns.js';
export { createEventBridgeResolver } from './eventbridge.js';
export {
  createDynamoDbResolver,
  mapDynamoDbError,
  type DynamoDbResolver,
  type DynamoDbResolverOptions,
} from './dynamodb.js';
export { createBedrockResolver, type BedrockInvokeModel, type BedrockInvokeModelParams } from './bedrock.js';
export { awsSdkErrorPrefix, createAwsSdkResolver, type AwsSdkHandler } from './aws-sdk.js';
export {
  createMockResolver,
  MockConfigError,
  parseMockConfig,
  type MockConfig,
  type MockedResponseEntry,
  type MockedThrow,
  type MockResolver,
  type MockResolverOptions,
} from './mock-config.js';
