import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { ConsoleConfig } from './config.js';

export interface AwsClients {
  sfn: SFNClient;
  sqs: SQSClient;
}

/** One Step Functions and one SQS client, local or AWS as the config says. */
export function createClients(config: ConsoleConfig): AwsClients {
  const common = {
    ...(config.region !== undefined ? { region: config.region } : {}),
    ...(config.credentials !== undefined ? { credentials: config.credentials } : {}),
  };
  return {
    // disableHostPrefix: a local endpoint has no `sync-` host for StartSyncExecution.
    sfn: new SFNClient({ ...common, ...(config.sfnEndpoint !== undefined ? { endpoint: config.sfnEndpoint, disableHostPrefix: true } : {}) }),
    sqs: new SQSClient({ ...common, ...(config.sqsEndpoint !== undefined ? { endpoint: config.sqsEndpoint } : {}) }),
  };
}
