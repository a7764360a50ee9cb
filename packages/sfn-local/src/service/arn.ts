import { apiErrors } from './errors.js';

/**
 * Step Functions ARNs:
 * - `arn:aws:states:<region>:<account>:stateMachine:<name>[:<version or alias>]`
 * - `arn:aws:states:<region>:<account>:execution:<stateMachineName>:<executionName>`
 * - `arn:aws:states:<region>:<account>:express:<stateMachineName>:<executionName>:<uuid>`
 */

export interface ArnScope {
  partition: string;
  region: string;
  account: string;
}

export type ResourceType = 'stateMachine' | 'execution' | 'express' | 'activity' | 'mapRun' | (string & {});

export interface ParsedArn extends ArnScope {
  resourceType: ResourceType;
  /** The resource part split on `:` (`[smName, execName]` for an execution). */
  parts: string[];
}

const PREFIX = /^arn:(aws(?:-[a-z]+)*):states:([a-z0-9-]*):(\d*):/;

export function stateMachineArn(scope: ArnScope, name: string): string {
  return `arn:${scope.partition}:states:${scope.region}:${scope.account}:stateMachine:${name}`;
}

export function executionArn(scope: ArnScope, stateMachineName: string, name: string): string {
  return `arn:${scope.partition}:states:${scope.region}:${scope.account}:execution:${stateMachineName}:${name}`;
}

export function expressExecutionArn(scope: ArnScope, stateMachineName: string, name: string, uuid: string): string {
  return `arn:${scope.partition}:states:${scope.region}:${scope.account}:express:${stateMachineName}:${name}:${uuid}`;
}

/** Parses a Step Functions ARN or throws `InvalidArn` as AWS words it. */
export function parseArn(value: string): ParsedArn {
  const m = PREFIX.exec(value);
  if (!m) throw apiErrors.invalidArn(`Invalid ARN prefix: ${value}`);
  const rest = value.slice(m[0].length);
  const [resourceType = '', ...parts] = rest.split(':');
  if (resourceType === '' || parts.length === 0 || parts.some((p) => p === '')) {
    throw apiErrors.invalidArn(`Invalid ARN: ${value}`);
  }
  return { partition: m[1]!, region: m[2]!, account: m[3]!, resourceType, parts };
}

function wrongType(type: string): never {
  throw apiErrors.invalidArn(`Resource type not valid in this context: ${type}`);
}

/** A state machine ARN: its name and, for a version or alias ARN, the qualifier. */
export function parseStateMachineArn(value: string): { name: string; qualifier?: string; parsed: ParsedArn } {
  const parsed = parseArn(value);
  if (parsed.resourceType !== 'stateMachine') wrongType(parsed.resourceType);
  if (parsed.parts.length > 2) throw apiErrors.invalidArn(`Invalid ARN: ${value}`);
  const [name, qualifier] = parsed.parts as [string, string | undefined];
  return qualifier === undefined ? { name, parsed } : { name, qualifier, parsed };
}

/**
 * An execution ARN. Standard executions only unless `allowExpress` (AWS refuses Express ARNs for
 * DescribeExecution, StopExecution and GetExecutionHistory).
 */
export function parseExecutionArn(
  value: string,
  options?: { allowExpress?: boolean },
): { stateMachineName: string; name: string; express: boolean } {
  const parsed = parseArn(value);
  if (parsed.resourceType === 'express') {
    if (!options?.allowExpress) wrongType('express');
    if (parsed.parts.length !== 3) throw apiErrors.invalidArn(`Invalid ARN: ${value}`);
    return { stateMachineName: parsed.parts[0]!, name: parsed.parts[1]!, express: true };
  }
  if (parsed.resourceType !== 'execution') wrongType(parsed.resourceType);
  if (parsed.parts.length !== 2) throw apiErrors.invalidArn(`Invalid ARN: ${value}`);
  return { stateMachineName: parsed.parts[0]!, name: parsed.parts[1]!, express: false };
}
