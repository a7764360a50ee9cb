import type { IntegrationPattern, ParsedResource } from './types.js';

/*
 * Task `Resource` forms (asl-semantics section 9):
 *   arn:<p>:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]   optimized integration
 *   arn:<p>:states:::aws-sdk:<service>:<action>[.waitForTaskToken]          AWS SDK integration (no .sync)
 *   arn:<p>:lambda:<region>:<account>:function:<name>[:qualifier]          legacy Lambda
 *   arn:<p>:states:<region>:<account>:activity:<name>                      activity
 * `<p>` is the partition (`aws`, `aws-cn`, `aws-us-gov`, ...). Anything else is `unknown`: a bare
 * function name is not a Resource AWS accepts, so it is not accepted here either.
 */
const PARTITION = 'aws(?:-[a-z]+)*';
const SERVICE = '[a-z][a-z0-9-]*';
const ACTION = '[A-Za-z][A-Za-z0-9]*';

const AWS_SDK_RE = new RegExp(`^arn:${PARTITION}:states:::aws-sdk:(${SERVICE}):(${ACTION})(\\.waitForTaskToken)?$`);
const INTEGRATION_RE = new RegExp(
  `^arn:${PARTITION}:states:::(${SERVICE}):(${ACTION})(?:\\.(sync:2|sync|waitForTaskToken))?$`,
);
const LAMBDA_RE = new RegExp(
  `^arn:${PARTITION}:lambda:([a-z0-9-]+):(\\d{12}):function:([A-Za-z0-9_-]{1,140})(?::(\\$LATEST|[A-Za-z0-9_-]{1,128}))?$`,
);
const ACTIVITY_RE = new RegExp(`^arn:${PARTITION}:states:([a-z0-9-]+):(\\d{12}):activity:([^\\s:/]{1,80})$`);

const MAX_CACHE = 10_000;
const cache = new Map<string, ParsedResource>();

/** Parses a Task `Resource` (results are cached and frozen; treat them as read-only). */
export function parseResource(resource: string): ParsedResource {
  const hit = cache.get(resource);
  if (hit) return hit;
  const parsed = Object.freeze(parseUncached(resource));
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(resource, parsed);
  return parsed;
}

function parseUncached(resource: string): ParsedResource {
  let m = AWS_SDK_RE.exec(resource);
  if (m) {
    return { kind: 'aws-sdk', service: m[1]!, action: m[2]!, pattern: m[3] ? 'waitForTaskToken' : 'requestResponse' };
  }
  // `aws-sdk:` with `.sync` (or a malformed aws-sdk ARN) is not a valid resource.
  if (/^arn:[^:]+:states:::aws-sdk:/.test(resource)) return { kind: 'unknown' };
  m = INTEGRATION_RE.exec(resource);
  if (m) {
    const pattern: IntegrationPattern = (m[3] as IntegrationPattern | undefined) ?? 'requestResponse';
    return { kind: 'integration', service: m[1]!, action: m[2]!, pattern };
  }
  m = LAMBDA_RE.exec(resource);
  if (m) return { kind: 'lambda-function', functionArn: resource, functionName: m[3]! };
  if (ACTIVITY_RE.test(resource)) return { kind: 'activity', activityArn: resource };
  return { kind: 'unknown' };
}

/** The resource as `service:action[.suffix]` for messages, e.g. `sqs:sendMessage.waitForTaskToken`. */
export function describeResource(parsed: ParsedResource, resource: string): string {
  switch (parsed.kind) {
    case 'integration':
      return `${parsed.service}:${parsed.action}${parsed.pattern === 'requestResponse' ? '' : `.${parsed.pattern}`}`;
    case 'aws-sdk':
      return `aws-sdk:${parsed.service}:${parsed.action}${parsed.pattern === 'waitForTaskToken' ? '.waitForTaskToken' : ''}`;
    default:
      return resource;
  }
}
