import type { ErrorTaxonomy, Retrier, SagaProps } from '../src/index.js';
import { LAMBDA_PAYLOAD_ONLY, lambdaInvoke, saga, snsPublish, States } from '../src/index.js';

/** A taxonomy shaped like the product's (the real one lives in @saga/contracts). */
export const taxonomy = {
  PaymentDeclined: { retriable: false, onFailure: 'compensate' },
  PaymentProviderUnavailable: { retriable: true, onFailure: 'compensate' },
  OutOfStock: { retriable: false, onFailure: 'compensate' },
  CarrierRateLimited: { retriable: true, onFailure: 'compensate' },
  CarrierUnavailable: { retriable: true, onFailure: 'compensate' },
  CarrierRejected: { retriable: false, onFailure: 'compensate' },
  CarrierResponseInvalid: { retriable: false, onFailure: 'escalate' },
  InvalidOrder: { retriable: false, onFailure: 'compensate' },
  OrderFulfillmentFailed: { retriable: false, onFailure: 'terminal' },
} as const satisfies ErrorTaxonomy<string>;

export type TestError = keyof typeof taxonomy;

const fn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
const invoke = (name: string) => lambdaInvoke({ FunctionName: fn(name), 'Payload.$': '$' });
const lambdaRetry: Retrier<TestError> = {
  ErrorEquals: ['Lambda.ServiceException', 'Lambda.TooManyRequestsException'],
  IntervalSeconds: 1,
  MaxAttempts: 3,
  BackoffRate: 2,
};

/** The fulfilment saga: 4 steps, compensations for the first three. */
export function fulfilmentSagaProps(compensation: 'sequential' | 'parallel' = 'sequential'): SagaProps<TestError> {
  return {
    comment: 'Order fulfilment',
    errors: taxonomy,
    compensation,
    steps: [
      {
        name: 'ChargePayment',
        invoke: invoke('charge-payment'),
        resultSelector: LAMBDA_PAYLOAD_ONLY,
        retry: [{ ErrorEquals: ['PaymentProviderUnavailable'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' }, lambdaRetry],
        timeoutSeconds: 30,
        compensation: { name: 'RefundPayment', invoke: invoke('refund-payment'), timeoutSeconds: 30, retry: [lambdaRetry] },
      },
      {
        name: 'ReserveStock',
        invoke: invoke('reserve-stock'),
        retry: [lambdaRetry],
        timeoutSeconds: 20,
        compensation: { name: 'ReleaseStock', invoke: invoke('release-stock'), timeoutSeconds: 20 },
      },
      {
        name: 'BookShipment',
        invoke: invoke('book-shipment'),
        retry: [
          { ErrorEquals: ['CarrierRateLimited', 'States.Timeout'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 5, MaxDelaySeconds: 60, JitterStrategy: 'FULL' },
          lambdaRetry,
        ],
        timeoutSeconds: 20,
        compensation: { name: 'CancelShipment', invoke: invoke('cancel-shipment'), timeoutSeconds: 20 },
      },
      { name: 'EmitReceipt', invoke: invoke('emit-receipt'), retry: [lambdaRetry], timeoutSeconds: 20 },
    ],
    analysis: { name: 'AnalyzeError', invoke: invoke('analyze-error'), timeoutSeconds: 60, resultSelector: LAMBDA_PAYLOAD_ONLY },
    review: {
      queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/review',
      context: { 'orderId.$': '$.order.orderId' },
      timeoutSeconds: 86_400,
      heartbeatSeconds: 3_600,
    },
    onSuccess: {
      name: 'NotifySuccess',
      invoke: snsPublish({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:orders', 'Message.$': States.Format('Order {} fulfilled', '$.order.orderId') }),
      timeoutSeconds: 10,
    },
    onFailure: {
      name: 'NotifyFailure',
      invoke: snsPublish({ TopicArn: 'arn:aws:sns:eu-west-1:123456789012:orders', 'Message.$': States.JsonToString('$.errorInfo') }),
      timeoutSeconds: 10,
    },
  };
}

export const buildFulfilmentSaga = (compensation: 'sequential' | 'parallel' = 'sequential') =>
  saga(fulfilmentSagaProps(compensation));
