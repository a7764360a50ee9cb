import { isInterpolationToken, replaceInterpolations } from './fields.js';

/**
 * Task `Resource` recognition (asl-semantics section 9):
 * - optimized integrations `arn:<p>:states:::<service>:<api>[.sync|.sync:2|.waitForTaskToken]`
 *   (incl. `http:invoke`),
 * - AWS SDK integrations `arn:<p>:states:::aws-sdk:<service>:<action>[.waitForTaskToken]` (no `.sync`),
 * - Lambda function ARNs `arn:<p>:lambda:<region>:<account>:function:<name>[:<qualifier>]`,
 * - activity ARNs `arn:<p>:states:<region>:<account>:activity:<name>`.
 * Interpolation tokens (`${aws_lambda_function.x.arn}`, CDK/CloudFormation `${...}`) may stand for
 * any part; a resource that is a single token is accepted as is.
 */

export type ResourceKind = 'integration' | 'sdk' | 'lambda' | 'activity' | 'token';
export type IntegrationPattern = '.sync' | '.sync:2' | '.waitForTaskToken';

export interface ResourceInfo {
  readonly kind: ResourceKind;
  readonly pattern?: IntegrationPattern;
}

/** Stand-in for an interpolation token: a private-use character allowed in every ARN segment. */
const T = '\uE000';

const PARTITION = `(?:aws(?:-[a-z]+)*|${T}+)`;
const REGION = `[a-z0-9${T}-]+`;
const ACCOUNT = `(?:\\d{12}|${T}+)`;
const LAMBDA_RE = new RegExp(
  `^arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:[A-Za-z0-9_${T}-]+(?::[A-Za-z0-9$_${T}-]+)?$`,
);
const ACTIVITY_RE = new RegExp(`^arn:${PARTITION}:states:${REGION}:${ACCOUNT}:activity:[^\\s:]+$`);
const INTEGRATION_RE = new RegExp(`^arn:${PARTITION}:states:::(.+)$`);
const SERVICE_RE = new RegExp(`^[a-z0-9${T}][a-z0-9${T}.-]*$`);
const API_RE = new RegExp(`^[A-Za-z0-9${T}][A-Za-z0-9${T}_-]*$`);
const PATTERN_RE = /(\.sync(?::2)?|\.waitForTaskToken)$/;

/**
 * Optimized integrations whose API set is small and well known, with the patterns each API
 * supports. Services not listed are accepted on form alone.
 */
const KNOWN_APIS: ReadonlyMap<string, ReadonlyMap<string, readonly IntegrationPattern[]>> = new Map([
  ['lambda', new Map([['invoke', ['.waitForTaskToken']]])],
  [
    'dynamodb',
    new Map([
      ['getItem', []],
      ['putItem', []],
      ['updateItem', []],
      ['deleteItem', []],
    ]),
  ],
  ['sqs', new Map([['sendMessage', ['.waitForTaskToken']]])],
  ['sns', new Map([['publish', ['.waitForTaskToken']]])],
  ['events', new Map([['putEvents', ['.waitForTaskToken']]])],
  ['states', new Map([['startExecution', ['.sync', '.sync:2', '.waitForTaskToken']]])],
  ['http', new Map([['invoke', []]])],
  ['apigateway', new Map([['invoke', ['.waitForTaskToken']]])],
]);

const cache = new Map<string, ResourceInfo | undefined>();

/** Parses a Task resource; undefined when it is not recognised. Results are cached by text. */
export function parseResource(resource: string): ResourceInfo | undefined {
  if (cache.has(resource)) return cache.get(resource);
  const info = parse(resource);
  if (cache.size >= 5000) cache.clear();
  cache.set(resource, info);
  return info;
}

function parse(resource: string): ResourceInfo | undefined {
  if (isInterpolationToken(resource)) return { kind: 'token' };
  const s = replaceInterpolations(resource, T) ?? resource;
  if (LAMBDA_RE.test(s)) return { kind: 'lambda' };
  if (ACTIVITY_RE.test(s)) return { kind: 'activity' };
  const m = INTEGRATION_RE.exec(s);
  if (m === null) return undefined;
  let rest = m[1]!;
  const p = PATTERN_RE.exec(rest);
  const pattern = p?.[1] as IntegrationPattern | undefined;
  if (pattern !== undefined) rest = rest.slice(0, -pattern.length);
  const parts = rest.split(':');
  if (parts[0] === 'aws-sdk') {
    if (parts.length !== 3 || !SERVICE_RE.test(parts[1]!) || !API_RE.test(parts[2]!)) return undefined;
    if (pattern === '.sync' || pattern === '.sync:2') return undefined;
    return pattern === undefined ? { kind: 'sdk' } : { kind: 'sdk', pattern };
  }
  if (parts.length !== 2 || !SERVICE_RE.test(parts[0]!) || !API_RE.test(parts[1]!)) return undefined;
  const apis = KNOWN_APIS.get(parts[0]!);
  if (apis !== undefined && !parts[1]!.includes(T)) {
    const patterns = apis.get(parts[1]!);
    if (patterns === undefined || (pattern !== undefined && !patterns.includes(pattern))) return undefined;
  }
  return pattern === undefined ? { kind: 'integration' } : { kind: 'integration', pattern };
}

/** AWS (OBS): the INVALID_RESOURCE wording. */
export function unrecognisedResourceMessage(resource: string): string {
  return `The resource provided ${resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`;
}

/** An EXPRESS incompatibility of a recognised resource (AWS wording), if any. */
export function expressIncompatibility(info: ResourceInfo): string | undefined {
  if (info.pattern === '.sync' || info.pattern === '.sync:2') return "Express state machine does not support '.sync' service integration";
  if (info.pattern === '.waitForTaskToken') return "Express state machine does not support '.waitForTaskToken' service integration";
  if (info.kind === 'activity') return 'Express state machine does not support Activity ARN';
  return undefined;
}

/** The same integration-ARN form, for Map ItemReader / ResultWriter resources. */
export function isIntegrationArn(resource: string): boolean {
  if (isInterpolationToken(resource)) return true;
  const s = replaceInterpolations(resource, T) ?? resource;
  const m = INTEGRATION_RE.exec(s);
  if (m === null) return false;
  const parts = m[1]!.split(':');
  return parts.length === 2 && SERVICE_RE.test(parts[0]!) && API_RE.test(parts[1]!);
}
