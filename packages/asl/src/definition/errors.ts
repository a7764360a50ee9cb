/**
 * The predefined error names of the States language (spec Appendix A).
 * `States.ALL` and `States.TaskFailed` act as wildcards in `ErrorEquals`.
 */
export const StatesErrors = {
  ALL: 'States.ALL',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  DataLimitExceeded: 'States.DataLimitExceeded',
  Runtime: 'States.Runtime',
  HttpSocket: 'States.Http.Socket',
} as const;

/** Any predefined `States.*` error name. */
export type StatesErrorName = (typeof StatesErrors)[keyof typeof StatesErrors];

/** Errors raised by the Lambda service itself (not by function code), which `lambda:invoke` surfaces. */
export const LambdaServiceErrors = {
  ServiceException: 'Lambda.ServiceException',
  AWSLambdaException: 'Lambda.AWSLambdaException',
  SdkClientException: 'Lambda.SdkClientException',
  ClientExecutionTimeoutException: 'Lambda.ClientExecutionTimeoutException',
  TooManyRequestsException: 'Lambda.TooManyRequestsException',
  ResourceNotFoundException: 'Lambda.ResourceNotFoundException',
  Unknown: 'Lambda.Unknown',
} as const;

export type LambdaServiceErrorName = (typeof LambdaServiceErrors)[keyof typeof LambdaServiceErrors];

/**
 * Errors the Lambda runtime reports for a function it stopped: `Sandbox.Timedout` when the function
 * ran past its own timeout (Node.js 20+ runtimes; the Task sees it as the function's error).
 */
export const LambdaRuntimeErrors = {
  Timedout: 'Sandbox.Timedout',
} as const;

export type LambdaRuntimeErrorName = (typeof LambdaRuntimeErrors)[keyof typeof LambdaRuntimeErrors];

/**
 * Errors of the optimized DynamoDB integrations (`arn:aws:states:::dynamodb:getItem` and the rest):
 * the DynamoDB API's error name with the `DynamoDB.` prefix and an `Exception` suffix, and the SDK's
 * own failures (no response: `SdkClientException`; an unnamed service error: `AmazonDynamoDBException`).
 */
export const DynamoDbServiceErrors = {
  ConditionalCheckFailedException: 'DynamoDB.ConditionalCheckFailedException',
  ProvisionedThroughputExceededException: 'DynamoDB.ProvisionedThroughputExceededException',
  RequestLimitExceeded: 'DynamoDB.RequestLimitExceededException',
  ThrottlingException: 'DynamoDB.ThrottlingException',
  InternalServerError: 'DynamoDB.InternalServerErrorException',
  TransactionConflictException: 'DynamoDB.TransactionConflictException',
  ItemCollectionSizeLimitExceededException: 'DynamoDB.ItemCollectionSizeLimitExceededException',
  ResourceNotFoundException: 'DynamoDB.ResourceNotFoundException',
  AmazonDynamoDBException: 'DynamoDB.AmazonDynamoDBException',
  SdkClientException: 'DynamoDB.SdkClientException',
} as const;

export type DynamoDbServiceErrorName = (typeof DynamoDbServiceErrors)[keyof typeof DynamoDbServiceErrors];

/**
 * The error names a Retrier or Catcher may list: the `States.*` built-ins, Lambda's service and
 * runtime errors, the DynamoDB integrations' errors, and the taxonomy `E` the user declares. Untyped (hand-written) definitions use `string`.
 */
export type ErrorName<E extends string = string> =
  | StatesErrorName
  | LambdaServiceErrorName
  | LambdaRuntimeErrorName
  | DynamoDbServiceErrorName
  | E;
