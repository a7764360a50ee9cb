import { boolean, list, required } from '../shapes.js';
import {
  arn,
  definition,
  encryptionConfiguration,
  includedData,
  loggingConfiguration,
  name,
  operation,
  pageSize,
  pageToken,
  stateMachineType,
  tag,
  tracingConfiguration,
  versionDescription,
} from './common.js';

/** CreateStateMachine, DescribeStateMachine, ListStateMachines, UpdateStateMachine, DeleteStateMachine. */
export const stateMachineOperations = {
  CreateStateMachine: operation(
    {
      name: required(name()),
      definition: required(definition()),
      roleArn: required(arn()),
      type: stateMachineType(),
      loggingConfiguration: loggingConfiguration(),
      tags: list(tag()),
      tracingConfiguration: tracingConfiguration(),
      publish: boolean(),
      versionDescription: versionDescription(),
      encryptionConfiguration: encryptionConfiguration(),
    },
    (service, input) => service.createStateMachine(input),
  ),
  DescribeStateMachine: operation({ stateMachineArn: required(arn()), includedData: includedData() }, (service, input) =>
    service.describeStateMachine(input),
  ),
  ListStateMachines: operation({ maxResults: pageSize(), nextToken: pageToken() }, (service, input) =>
    service.listStateMachines(input),
  ),
  UpdateStateMachine: operation(
    {
      stateMachineArn: required(arn()),
      definition: definition(),
      roleArn: arn(),
      loggingConfiguration: loggingConfiguration(),
      tracingConfiguration: tracingConfiguration(),
      publish: boolean(),
      versionDescription: versionDescription(),
      encryptionConfiguration: encryptionConfiguration(),
    },
    (service, input) => service.updateStateMachine(input),
  ),
  DeleteStateMachine: operation({ stateMachineArn: required(arn()) }, (service, input) => service.deleteStateMachine(input)),
  DescribeStateMachineForExecution: operation({ executionArn: required(arn()), includedData: includedData() }, (service, input) =>
    service.describeStateMachineForExecution(input),
  ),
};
