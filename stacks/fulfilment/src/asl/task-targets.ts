import type { State, StateMachineDefinition } from '@saga/asl';

/**
 * What the Task states of a definition call, read from the definition itself so the state
 * machine's IAM policy is derived from the workflow rather than restated:
 * `lambda:invoke` FunctionNames, `sqs:sendMessage` QueueUrls, `sns:publish` TopicArns, and the
 * `dynamodb:*` item actions by TableName.
 * Parallel branches and Map processors are walked too.
 */
export interface TaskTargets {
  /** `Parameters.FunctionName` of every `lambda:invoke` Task. */
  readonly lambdaFunctions: readonly string[];
  /** `Parameters.QueueUrl` of every `sqs:sendMessage` Task (any pattern). */
  readonly queueUrls: readonly string[];
  /** `Parameters.TopicArn` of every `sns:publish` Task. */
  readonly topicArns: readonly string[];
  /** `Parameters.TableName` of the `dynamodb:getItem|putItem|updateItem|deleteItem` Tasks, with the IAM actions each needs. */
  readonly dynamoDbTables: ReadonlyMap<string, readonly DynamoDbAction[]>;
  /** Tasks whose resource this reader does not know: the stack refuses them (no IAM can be derived). */
  readonly unsupported: readonly { state: string; resource: string }[];
}

/** The IAM action of each optimized DynamoDB integration. */
const DYNAMODB_ACTIONS = {
  getItem: 'dynamodb:GetItem',
  putItem: 'dynamodb:PutItem',
  updateItem: 'dynamodb:UpdateItem',
  deleteItem: 'dynamodb:DeleteItem',
} as const;
export type DynamoDbAction = (typeof DYNAMODB_ACTIONS)[keyof typeof DYNAMODB_ACTIONS];

const INTEGRATION = /^arn:[^:]+:states:::([a-z0-9-]+):([A-Za-z]+)(?:\.(?:waitForTaskToken|sync(?::2)?))?$/;

export function collectTaskTargets(definition: StateMachineDefinition): TaskTargets {
  const lambdaFunctions = new Set<string>();
  const queueUrls = new Set<string>();
  const topicArns = new Set<string>();
  const tables = new Map<string, Set<DynamoDbAction>>();
  const unsupported: { state: string; resource: string }[] = [];

  const visit = (states: Record<string, State>): void => {
    for (const [name, state] of Object.entries(states)) {
      const s = state as unknown as Record<string, unknown>;
      if (s['Type'] === 'Parallel') {
        for (const branch of (s['Branches'] as { States: Record<string, State> }[] | undefined) ?? []) visit(branch.States);
      } else if (s['Type'] === 'Map') {
        const processor = (s['ItemProcessor'] ?? s['Iterator']) as { States: Record<string, State> } | undefined;
        if (processor) visit(processor.States);
      } else if (s['Type'] === 'Task') {
        const resource = String(s['Resource']);
        const parameters = (s['Parameters'] ?? s['Arguments'] ?? {}) as Record<string, unknown>;
        const m = INTEGRATION.exec(resource);
        const target = (field: string): string | undefined =>
          typeof parameters[field] === 'string' ? (parameters[field] as string) : undefined;
        const integration = m ? `${m[1]}:${m[2]}` : undefined;
        if (m?.[1] === 'dynamodb' && m[2]! in DYNAMODB_ACTIONS && resource.endsWith(m[2]!)) {
          const table = target('TableName');
          if (table === undefined) unsupported.push({ state: name, resource });
          else tables.set(table, (tables.get(table) ?? new Set()).add(DYNAMODB_ACTIONS[m[2] as keyof typeof DYNAMODB_ACTIONS]));
          continue;
        }
        const value =
          integration === 'lambda:invoke'
            ? target('FunctionName')
            : integration === 'sqs:sendMessage'
              ? target('QueueUrl')
              : integration === 'sns:publish'
                ? target('TopicArn')
                : undefined;
        if (value === undefined) unsupported.push({ state: name, resource });
        else if (integration === 'lambda:invoke') lambdaFunctions.add(value);
        else if (integration === 'sqs:sendMessage') queueUrls.add(value);
        else topicArns.add(value);
      }
    }
  };
  visit(definition.States as Record<string, State>);

  return {
    lambdaFunctions: [...lambdaFunctions],
    queueUrls: [...queueUrls],
    topicArns: [...topicArns],
    dynamoDbTables: new Map([...tables].map(([table, actions]) => [table, [...actions].sort()])),
    unsupported,
  };
}
