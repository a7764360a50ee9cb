/**
 * Errors of the SQS API (AWS JSON 1.0, query-compatible), named as the SQS model names them.
 * Rendered as `{"__type": "com.amazonaws.sqs#<name>", "message"}` with the
 * `x-amzn-query-error: <code>;Sender` header @aws-sdk/client-sqs reads `Code` from
 * (`AWS.SimpleQueueService.NonExistentQueue` for `QueueDoesNotExist`, as the query API said).
 */
export class SqsApiError extends Error {
  override readonly name: string;
  /** The error code of the query API (`error.Code` in @aws-sdk/client-sqs). */
  readonly queryCode: string;
  readonly httpStatus: number;

  constructor(name: string, message: string, options: { queryCode?: string; httpStatus?: number } = {}) {
    super(message);
    this.name = name;
    this.queryCode = options.queryCode ?? name;
    this.httpStatus = options.httpStatus ?? 400;
  }
}

/** The HTTP answer of an error: status, JSON body and headers. */
export function sqsErrorResponse(error: SqsApiError): { status: number; body: Record<string, string>; headers: Record<string, string> } {
  return {
    status: error.httpStatus,
    body: { __type: `com.amazonaws.sqs#${error.name}`, message: error.message },
    headers: { 'x-amzn-query-error': `${error.queryCode};Sender`, 'x-amzn-errortype': error.name },
  };
}

/** The errors, with SQS's messages. */
export const sqsErrors = {
  queueDoesNotExist: () =>
    new SqsApiError('QueueDoesNotExist', 'The specified queue does not exist.', {
      queryCode: 'AWS.SimpleQueueService.NonExistentQueue',
    }),
  invalidAddress: (url: string) =>
    new SqsApiError('InvalidAddress', `The address ${url} is not valid for this endpoint.`, { httpStatus: 404 }),
  receiptHandleIsInvalid: (handle: string) =>
    new SqsApiError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`, {
      httpStatus: 404,
    }),
  messageNotInflight: () =>
    new SqsApiError('MessageNotInflight', 'The specified message isn\'t in flight.', {
      queryCode: 'AWS.SimpleQueueService.MessageNotInflight',
    }),
  invalidAttributeName: (name: string) => new SqsApiError('InvalidAttributeName', `Unknown Attribute ${name}.`),
  missingParameter: (name: string) =>
    new SqsApiError('MissingParameter', `The request must contain the parameter ${name}.`),
  invalidParameterValue: (name: string, value: unknown, reason: string) =>
    new SqsApiError('InvalidParameterValue', `Value ${String(value)} for parameter ${name} is invalid. Reason: ${reason}`),
  unsupportedOperation: (operation: string) =>
    new SqsApiError('UnsupportedOperation', `Operation not supported by sfn-local: ${operation}`, {
      queryCode: 'AWS.SimpleQueueService.UnsupportedOperation',
    }),
  serialization: (message: string) => new SqsApiError('SerializationException', message),
};
