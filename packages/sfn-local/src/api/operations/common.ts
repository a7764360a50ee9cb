import type { SfnService } from '../../service.js';
import { boolean, enumeration, integer, list, required, string, struct, type Infer, type Shape } from '../shapes.js';

/** One API operation: its input shape and what it does. */
export interface Operation {
  readonly input: Shape;
  handle(service: SfnService, input: never): unknown;
}

/** Declares an operation, typing its handler's input by its shape. */
export function operation<S extends Shape>(input: S, handle: (service: SfnService, input: Infer<S>) => unknown): Operation {
  return { input, handle: handle as Operation['handle'] };
}

// Member shapes of the Step Functions model (botocore service-2.json).
export const arn = () => string({ min: 1, max: 256 });
export const name = () => string({ min: 1, max: 80 });
export const definition = () => string({ min: 1, max: 1_048_576, sensitive: true });
export const sensitiveData = () => string({ max: 262_144, sensitive: true });
export const sensitiveError = () => string({ max: 256, sensitive: true });
export const sensitiveCause = () => string({ max: 32_768, sensitive: true });
export const traceHeader = () => string({ max: 256, pattern: { regex: /^[\x00-\x7f]*$/, text: '\\p{ASCII}*' } });
export const pageSize = () => integer({ min: 0, max: 1000 });
export const pageToken = (max = 1024) => string({ min: 1, max });
export const includedData = () => enumeration(['ALL_DATA', 'METADATA_ONLY']);
export const stateMachineType = () => enumeration(['STANDARD', 'EXPRESS']);
export const taskToken = () => required(string({ min: 1, max: 2048 }));
export const versionDescription = () => string({ max: 256, sensitive: true });

export const loggingConfiguration = () =>
  struct({
    level: enumeration(['ALL', 'ERROR', 'FATAL', 'OFF']),
    includeExecutionData: boolean(),
    destinations: list(
      struct({ cloudWatchLogsLogGroup: struct({ logGroupArn: string({ min: 1, max: 256 }) }) }),
      { max: 1 },
    ),
  });

export const tracingConfiguration = () => struct({ enabled: boolean() });

export const encryptionConfiguration = () =>
  struct({
    kmsKeyId: string({ min: 1, max: 2048 }),
    kmsDataKeyReusePeriodSeconds: integer({ min: 60, max: 900 }),
    type: required(enumeration(['AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KMS_KEY'])),
  });

export const tag = () => struct({ key: string({ min: 1, max: 128 }), value: string({ max: 256 }) });
