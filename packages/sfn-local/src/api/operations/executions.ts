import { boolean, enumeration, required, string } from '../shapes.js';
import {
  arn,
  includedData,
  name,
  operation,
  pageSize,
  pageToken,
  sensitiveCause,
  sensitiveData,
  sensitiveError,
  traceHeader,
} from './common.js';

const executionStatus = () => enumeration(['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE']);

/** StartExecution, StartSyncExecution, DescribeExecution, ListExecutions, StopExecution, GetExecutionHistory. */
export const executionOperations = {
  StartExecution: operation(
    { stateMachineArn: required(arn()), name: name(), input: sensitiveData(), traceHeader: traceHeader() },
    (service, input) => service.startExecution(input),
  ),
  StartSyncExecution: operation(
    { stateMachineArn: required(arn()), name: name(), input: sensitiveData(), traceHeader: traceHeader(), includedData: includedData() },
    (service, input) => service.startSyncExecution(input),
  ),
  DescribeExecution: operation({ executionArn: required(arn()), includedData: includedData() }, (service, input) =>
    service.describeExecution(input),
  ),
  ListExecutions: operation(
    {
      stateMachineArn: arn(),
      statusFilter: executionStatus(),
      maxResults: pageSize(),
      nextToken: pageToken(3096),
      mapRunArn: string({ min: 1, max: 2000 }),
      redriveFilter: enumeration(['REDRIVEN', 'NOT_REDRIVEN']),
    },
    (service, input) => service.listExecutions(input),
  ),
  StopExecution: operation({ executionArn: required(arn()), error: sensitiveError(), cause: sensitiveCause() }, (service, input) =>
    service.stopExecution(input),
  ),
  GetExecutionHistory: operation(
    {
      executionArn: required(arn()),
      maxResults: pageSize(),
      reverseOrder: boolean(),
      nextToken: pageToken(),
      includeExecutionData: boolean(),
    },
    (service, input) => service.getExecutionHistory(input),
  ),
};
