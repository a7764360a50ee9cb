import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { SfnStateMachine } from '@cdktf/provider-aws/lib/sfn-state-machine/index.js';
import type { StateMachineDefinition } from '@saga/asl';
import { Construct } from 'constructs';
import { collectTaskTargets, type TaskTargets } from '../asl/task-targets.js';
import { assumeRolePolicy, policyDocument, statement, toTerraformJson, wildcardResourceStatement } from '../iam/policy.js';

export interface SagaStateMachineProps {
  readonly name: string;
  /** The generated definition, holding cdktf tokens for the functions, queue and topic it calls. */
  readonly definition: StateMachineDefinition;
  /** The ARNs the definition may invoke (every `lambda:invoke` FunctionName must be one of them). */
  readonly functionArns: readonly string[];
  /** Queue URL → queue ARN, for the queues the definition may send to. */
  readonly queues: ReadonlyMap<string, string>;
  /** The topics the definition may publish to. */
  readonly topicArns: readonly string[];
  /** Table name → table ARN, for the tables the definition reads and writes items of. */
  readonly tables: ReadonlyMap<string, string>;
  readonly includeExecutionData: boolean;
  readonly logRetentionDays: number;
  /** For the trust policy's confused-deputy conditions. */
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

/**
 * The STANDARD state machine: its log group (level ERROR), X-Ray tracing, and a role whose
 * permissions are derived from the Task states of the definition: `lambda:InvokeFunction` on
 * exactly the FunctionNames it calls, `sqs:SendMessage` on the queues, `sns:Publish` on the topics,
 * the DynamoDB item actions its Tasks use on their tables, plus what log delivery and X-Ray require.
 */
export class SagaStateMachine extends Construct {
  readonly stateMachine: SfnStateMachine;
  readonly role: IamRole;
  readonly policy: IamRolePolicy;
  readonly logGroup: CloudwatchLogGroup;
  /** What the definition calls (tokens before synth). */
  readonly targets: TaskTargets;

  constructor(scope: Construct, id: string, props: SagaStateMachineProps) {
    super(scope, id);

    const targets = collectTaskTargets(props.definition);
    this.targets = targets;
    const problems = [
      ...targets.unsupported.map((t) => `state ${t.state}: no IAM can be derived for ${t.resource} (or its target is not a constant)`),
      ...targets.lambdaFunctions.filter((f) => !props.functionArns.includes(f)).map((f) => `a Task invokes ${f}, which is not a function of this stack`),
      ...targets.queueUrls.filter((q) => !props.queues.has(q)).map((q) => `a Task sends to ${q}, which is not a queue of this stack`),
      ...targets.topicArns.filter((t) => !props.topicArns.includes(t)).map((t) => `a Task publishes to ${t}, which is not a topic of this stack`),
      ...[...targets.dynamoDbTables.keys()].filter((t) => !props.tables.has(t)).map((t) => `a Task uses table ${t}, which is not a table of this stack`),
    ];
    if (problems.length > 0) throw new Error(`State machine ${props.name}:\n  ${problems.join('\n  ')}`);

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      // The /aws/vendedlogs/ prefix keeps the log group resource policy that delivery writes short (AWS advice).
      name: `/aws/vendedlogs/states/${props.name}`,
      retentionInDays: props.logRetentionDays,
    });
    this.logGroup.overrideLogicalId(id);

    const stateMachineArn = `arn:${props.partition}:states:${props.region}:${props.accountId}:stateMachine:${props.name}`;
    this.role = new IamRole(this, 'role', {
      name: `${props.name}-sfn`,
      description: `Execution role of the state machine ${props.name}`,
      assumeRolePolicy: assumeRolePolicy('states.amazonaws.com', {
        StringEquals: { 'aws:SourceAccount': props.accountId },
        ArnLike: { 'aws:SourceArn': stateMachineArn },
      }),
    });
    this.role.overrideLogicalId(id);

    const statements = [
      statement('InvokeSagaFunctions', ['lambda:InvokeFunction'], targets.lambdaFunctions),
      ...(targets.queueUrls.length > 0
        ? [statement('SendReviewRequests', ['sqs:SendMessage'], targets.queueUrls.map((url) => props.queues.get(url)!))]
        : []),
      ...(targets.topicArns.length > 0 ? [statement('PublishNotifications', ['sns:Publish'], targets.topicArns)] : []),
      // Exactly the item actions the Tasks use, per table (the payment record: GetItem, UpdateItem).
      ...[...targets.dynamoDbTables].map(([table, actions], i) => statement(`TableItems${i + 1}`, actions, [props.tables.get(table)!])),
      // Vended-log delivery to the log group: these APIs have no resource-level permissions, AWS
      // documents them with Resource "*" (allow-listed in iam/allow-list.ts).
      wildcardResourceStatement(
        'DeliverExecutionLogs',
        [
          'logs:CreateLogDelivery',
          'logs:GetLogDelivery',
          'logs:UpdateLogDelivery',
          'logs:DeleteLogDelivery',
          'logs:ListLogDeliveries',
          'logs:PutResourcePolicy',
          'logs:DescribeResourcePolicies',
          'logs:DescribeLogGroups',
        ],
        'state-machine',
      ),
      // X-Ray: no resource-level permissions either (allow-listed).
      wildcardResourceStatement(
        'WriteTraces',
        ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'],
        'state-machine',
      ),
    ];
    this.policy = new IamRolePolicy(this, 'policy', {
      name: 'least-privilege',
      role: this.role.id,
      policy: policyDocument(statements),
    });
    this.policy.overrideLogicalId(id);

    this.stateMachine = new SfnStateMachine(this, 'state-machine', {
      name: props.name,
      type: 'STANDARD',
      roleArn: this.role.arn,
      // JSON.stringify of the generated definition; the cdktf tokens in it become `${aws_….arn}`.
      definition: toTerraformJson(props.definition),
      loggingConfiguration: {
        level: 'ERROR',
        includeExecutionData: props.includeExecutionData,
        logDestination: `${this.logGroup.arn}:*`,
      },
      tracingConfiguration: { enabled: true },
      // CreateStateMachine checks that the role may deliver logs: attach the policy first.
      dependsOn: [this.policy],
    });
    this.stateMachine.overrideLogicalId(id);
  }
}
