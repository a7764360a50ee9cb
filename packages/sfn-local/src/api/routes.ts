import { callbackOperations } from './operations/callbacks.js';
import type { Operation } from './operations/common.js';
import { definitionOperations } from './operations/definitions.js';
import { executionOperations } from './operations/executions.js';
import { stateMachineOperations } from './operations/state-machines.js';
import { tagOperations } from './operations/tags.js';

/** Every operation served, by the name in `X-Amz-Target: AWSStepFunctions.<name>`. */
export const routes: Readonly<Record<string, Operation>> = {
  ...stateMachineOperations,
  ...executionOperations,
  ...callbackOperations,
  ...definitionOperations,
  ...tagOperations,
};

/** Operations of the Step Functions API that sfn-local does not implement (answered with a clear error). */
export const unsupportedOperations: ReadonlySet<string> = new Set([
  'CreateActivity',
  'DeleteActivity',
  'DescribeActivity',
  'GetActivityTask',
  'ListActivities',
  'CreateStateMachineAlias',
  'DeleteStateMachineAlias',
  'DescribeStateMachineAlias',
  'ListStateMachineAliases',
  'UpdateStateMachineAlias',
  'PublishStateMachineVersion',
  'DeleteStateMachineVersion',
  'ListStateMachineVersions',
  'DescribeMapRun',
  'ListMapRuns',
  'UpdateMapRun',
  'RedriveExecution',
]);
