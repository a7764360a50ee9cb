/**
 * Errors of the Step Functions API, named as AWS names them. The HTTP layer renders one as
 * `400 {"__type": "com.amazonaws.sfn#<name>", "message": ...}`; in-process callers catch it by `name`.
 */
export class SfnApiError extends Error {
  override readonly name: string;
  /** HTTP status the API answers with (400 for every client error). */
  readonly httpStatus: number;
  /** Extra members of the error shape (`reason` for ValidationException, `resourceName`, ...). */
  readonly fields: Record<string, string> | undefined;

  constructor(name: string, message: string, options?: { httpStatus?: number; fields?: Record<string, string> }) {
    super(message);
    this.name = name;
    this.httpStatus = options?.httpStatus ?? 400;
    this.fields = options?.fields;
  }
}

export function isSfnApiError(e: unknown): e is SfnApiError {
  return e instanceof SfnApiError;
}

/** The errors with AWS's verbatim messages. */
export const apiErrors = {
  stateMachineDoesNotExist: (arn: string) => new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`),
  stateMachineAlreadyExists: (arn: string) => new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`),
  stateMachineDeleting: (arn: string) => new SfnApiError('StateMachineDeleting', `State Machine is being deleted: '${arn}'`),
  executionDoesNotExist: (arn: string) => new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`),
  executionAlreadyExists: (arn: string) => new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`),
  invalidName: (name: string) => new SfnApiError('InvalidName', `Invalid Name: '${name}'`),
  invalidArn: (detail: string) => new SfnApiError('InvalidArn', `Invalid Arn: '${detail}'`),
  invalidDefinition: (message: string) => new SfnApiError('InvalidDefinition', message),
  invalidExecutionInput: (detail: string) =>
    new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${detail}'`),
  invalidToken: (detail: string) => new SfnApiError('InvalidToken', `Invalid Token: '${detail}'`),
  typeNotSupported: () =>
    new SfnApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine'),
  missingRequiredParameter: (message: string) => new SfnApiError('MissingRequiredParameter', message),
  validation: (problems: readonly string[]) =>
    new SfnApiError(
      'ValidationException',
      `${problems.length} validation error${problems.length === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
    ),
  resourceNotFound: (arn: string) =>
    new SfnApiError('ResourceNotFound', `Resource not found: '${arn}'`, { fields: { resourceName: arn } }),
};
