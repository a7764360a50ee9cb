import { boolean, enumeration, integer, required, string, struct } from '../shapes.js';
import { arn, definition, operation, sensitiveCause, sensitiveData, sensitiveError, stateMachineType } from './common.js';

/** ValidateStateMachineDefinition, TestState. */
export const definitionOperations = {
  ValidateStateMachineDefinition: operation(
    {
      definition: required(definition()),
      type: stateMachineType(),
      severity: enumeration(['ERROR', 'WARNING']),
      maxResults: integer({ min: 0, max: 100 }),
    },
    (service, input) => service.validateStateMachineDefinition(input),
  ),
  TestState: operation(
    {
      definition: required(definition()),
      roleArn: arn(),
      input: sensitiveData(),
      inspectionLevel: enumeration(['INFO', 'DEBUG', 'TRACE']),
      revealSecrets: boolean(),
      variables: sensitiveData(),
      stateName: string({ min: 1, max: 80, sensitive: true }),
      mock: struct({
        result: sensitiveData(),
        errorOutput: struct({ error: sensitiveError(), cause: sensitiveCause() }),
        fieldValidationMode: enumeration(['STRICT', 'PRESENT', 'NONE']),
      }),
      context: sensitiveData(),
      stateConfiguration: struct({
        retrierRetryCount: integer({ min: 0 }),
        errorCausedByState: string({ min: 1, max: 80 }),
        mapIterationFailureCount: integer({ min: 0 }),
        mapItemReaderData: sensitiveData(),
      }),
    },
    (service, input) => service.testState(input),
  ),
};
