/**
 * The only places where a policy of this stack may use a wildcard resource, each with the reason
 * and the AWS documentation that says nothing narrower exists. Policies are built through
 * `wildcardResourceStatement()` / `statement()` in `policy.ts`, which refuse anything not listed here,
 * and `test/iam.spec.ts` walks every synthesized policy document against these lists.
 *
 * Wildcard *actions* (`*`, `service:*`) are never allowed.
 */

export interface WildcardResourceGrant {
  /** The IAM action granted on `Resource: "*"`. */
  readonly action: string;
  /** Which roles need it. */
  readonly usedBy: readonly ('lambda' | 'state-machine')[];
  readonly reason: string;
  readonly docs: string;
}

const XRAY_REASON =
  'X-Ray supports no resource-level permissions for writing traces or reading sampling rules: the only resource is "*".';
const XRAY_DOCS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html';
const SFN_XRAY_DOCS = 'https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html';
const LOG_DELIVERY_REASON =
  'Step Functions delivers execution logs through CloudWatch Logs vended-log delivery; these delivery APIs support no resource-level permissions, so AWS documents them with Resource "*".';
const LOG_DELIVERY_DOCS = 'https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html#cloudwatch-iam-policy';

/** Actions granted on `Resource: "*"`, because AWS offers no resource scoping for them. */
export const WILDCARD_RESOURCE_ALLOW_LIST: readonly WildcardResourceGrant[] = [
  // X-Ray: Lambda active tracing (the function's role) and state machine tracing.
  { action: 'xray:PutTraceSegments', usedBy: ['lambda', 'state-machine'], reason: XRAY_REASON, docs: XRAY_DOCS },
  { action: 'xray:PutTelemetryRecords', usedBy: ['lambda', 'state-machine'], reason: XRAY_REASON, docs: XRAY_DOCS },
  { action: 'xray:GetSamplingRules', usedBy: ['state-machine'], reason: XRAY_REASON, docs: SFN_XRAY_DOCS },
  { action: 'xray:GetSamplingTargets', usedBy: ['state-machine'], reason: XRAY_REASON, docs: SFN_XRAY_DOCS },
  // CloudWatch Logs vended-log delivery for the state machine's logging configuration.
  { action: 'logs:CreateLogDelivery', usedBy: ['state-machine'], reason: LOG_DELIVERY_REASON, docs: LOG_DELIVERY_DOCS },
  { action: 'logs:GetLogDelivery', usedBy: ['state-machine'], reason: LOG_DELIVERY_REASON, docs: LOG_DELIVERY_DOCS },
  { action: 'logs:UpdateLogDelivery', usedBy: ['state-machine'], reason: LOG_DELIVERY_REASON, docs: LOG_DELIVERY_DOCS },
  { action: 'logs:DeleteLogDelivery', usedBy: ['state-machine'], reason: LOG_DELIVERY_REASON, docs: LOG_DELIVERY_DOCS },
  { action: 'logs:ListLogDeliveries', usedBy: ['state-machine'], reason: LOG_DELIVERY_REASON, docs: LOG_DELIVERY_DOCS },
  {
    action: 'logs:PutResourcePolicy',
    usedBy: ['state-machine'],
    reason: `${LOG_DELIVERY_REASON} Delivery adds the log group's resource policy for the delivery service.`,
    docs: LOG_DELIVERY_DOCS,
  },
  { action: 'logs:DescribeResourcePolicies', usedBy: ['state-machine'], reason: LOG_DELIVERY_REASON, docs: LOG_DELIVERY_DOCS },
  {
    action: 'logs:DescribeLogGroups',
    usedBy: ['state-machine'],
    reason: `${LOG_DELIVERY_REASON} DescribeLogGroups is a list API with no resource scoping.`,
    docs: LOG_DELIVERY_DOCS,
  },
];

export interface WildcardArnPattern {
  /** Matches the resource strings (Terraform interpolations included) this entry allows. */
  readonly pattern: RegExp;
  readonly reason: string;
  readonly docs: string;
}

/**
 * Resource ARNs that contain a `*` segment (narrower than `"*"`, but still wildcards), each allowed
 * for one reason.
 */
export const WILDCARD_ARN_ALLOW_LIST: readonly WildcardArnPattern[] = [
  {
    // `${aws_cloudwatch_log_group.X.arn}:*`
    pattern: /^\$\{aws_cloudwatch_log_group\.[A-Za-z0-9_-]+\.arn\}:\*$/,
    reason:
      "The log streams of one log group: Lambda creates its streams (named per instance) at run time, so a function's role gets CreateLogStream/PutLogEvents on `<its log group ARN>:*` and nothing else.",
    docs: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-permissions.html',
  },
  {
    // `arn:${partition}:bedrock:*::foundation-model/<model>` (and the region-less global form)
    pattern: /^arn:\$\{data\.aws_partition\.[A-Za-z0-9_-]+\.partition\}:bedrock:\*?::foundation-model\/[a-z0-9.:-]+$/,
    reason:
      'A cross-region inference profile routes each request to the model in any of its destination regions (or, for global profiles, any commercial region); AWS documents the model grant with a region wildcard, for one named model only.',
    docs: 'https://docs.aws.amazon.com/bedrock/latest/userguide/cross-region-inference-prereq.html',
  },
];
