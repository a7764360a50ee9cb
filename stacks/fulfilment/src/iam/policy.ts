import { WILDCARD_ARN_ALLOW_LIST, WILDCARD_RESOURCE_ALLOW_LIST } from './allow-list.js';


/** One IAM policy statement, as this stack writes them: always Allow, actions and resources listed. */
export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow';
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9]+$/;
const SID = /^[A-Za-z0-9]+$/;

/**
 * A statement on named resources. Refuses wildcard actions (`*`, `service:*`, `service:Get*`) and
 * the `"*"` resource (use {@link wildcardResourceStatement}). ARNs with a `*` segment hold
 * unresolved tokens here; `findPolicyViolations` checks them against `WILDCARD_ARN_ALLOW_LIST`
 * once resolved (a validation of the stack, run by every synth).
 */
export function statement(sid: string, actions: readonly string[], resources: readonly string[]): PolicyStatement {
  assertSid(sid);
  assertActions(sid, actions);
  if (resources.length === 0) throw new Error(`IAM statement ${sid}: no resources`);
  if (resources.includes('*')) throw new Error(`IAM statement ${sid}: Resource "*" must go through wildcardResourceStatement()`);
  return { Sid: sid, Effect: 'Allow', Action: unique(actions), Resource: unique(resources) };
}

/** A statement on `Resource: "*"`, for actions AWS offers no resource scoping for (see `allow-list.ts`). */
export function wildcardResourceStatement(
  sid: string,
  actions: readonly string[],
  usedBy: 'lambda' | 'state-machine',
): PolicyStatement {
  assertSid(sid);
  assertActions(sid, actions);
  for (const action of actions) {
    const grant = WILDCARD_RESOURCE_ALLOW_LIST.find((g) => g.action === action);
    if (!grant || !grant.usedBy.includes(usedBy)) {
      throw new Error(`IAM statement ${sid}: ${action} on Resource "*" is not on WILDCARD_RESOURCE_ALLOW_LIST for ${usedBy}`);
    }
  }
  return { Sid: sid, Effect: 'Allow', Action: unique(actions), Resource: ['*'] };
}

/**
 * The JSON policy document (Terraform references inside strings stay as they are). Indented: see
 * {@link toTerraformJson}.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  const sids = statements.map((s) => s.Sid);
  const duplicate = sids.find((s, i) => sids.indexOf(s) !== i);
  if (duplicate !== undefined) throw new Error(`IAM policy: duplicate Sid ${duplicate}`);
  const document: PolicyDocument = { Version: '2012-10-17', Statement: statements };
  return toTerraformJson(document);
}

/**
 * JSON for a Terraform string attribute that holds references. Always multi-line: `cdktf synth --hcl`
 * writes a multi-line string as a heredoc (`<<EOF`), which is valid HCL with `${…}` inside, but
 * mangles a one-line JSON string that contains `${…}` (it leaves its quotes unescaped).
 */
export function toTerraformJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** The trust policy of a role assumed by an AWS service, with optional confused-deputy conditions. */
export function assumeRolePolicy(service: string, conditions?: Record<string, Record<string, string>>): string {
  return toTerraformJson({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: service },
        Action: 'sts:AssumeRole',
        ...(conditions ? { Condition: conditions } : {}),
      },
    ],
  });
}

function assertSid(sid: string): void {
  if (!SID.test(sid)) throw new Error(`IAM statement id ${sid}: letters and digits only`);
}

function assertActions(sid: string, actions: readonly string[]): void {
  if (actions.length === 0) throw new Error(`IAM statement ${sid}: no actions`);
  for (const action of actions) {
    if (!ACTION.test(action)) throw new Error(`IAM statement ${sid}: ${action} is not a single named action (no wildcards)`);
  }
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Checks a resolved policy document (Terraform references as `${...}` strings) against the
 * least-privilege rules: Allow only; no wildcard action; `"*"` only for actions on
 * `WILDCARD_RESOURCE_ALLOW_LIST`; ARNs with a `*` only where `WILDCARD_ARN_ALLOW_LIST` allows.
 * Returns one message per violation (empty when the document is clean).
 */
export function findPolicyViolations(document: unknown, where: string): string[] {
  const problems: string[] = [];
  const doc = typeof document === 'string' ? (JSON.parse(document) as unknown) : document;
  if (!isRecord(doc) || doc['Version'] !== '2012-10-17') return [`${where}: not a 2012-10-17 policy document`];
  const statements = Array.isArray(doc['Statement']) ? doc['Statement'] : [doc['Statement']];
  statements.forEach((raw: unknown, i) => {
    const at = `${where} Statement[${i}]${isRecord(raw) && typeof raw['Sid'] === 'string' ? ` (${raw['Sid']})` : ''}`;
    if (!isRecord(raw)) return void problems.push(`${at}: not an object`);
    if (raw['Effect'] !== 'Allow') problems.push(`${at}: Effect must be Allow`);
    for (const key of ['NotAction', 'NotResource', 'NotPrincipal']) if (key in raw) problems.push(`${at}: ${key} is not allowed`);
    const actions = asList(raw['Action']);
    const resources = asList(raw['Resource']);
    if (actions.length === 0) problems.push(`${at}: no Action`);
    if (resources.length === 0) problems.push(`${at}: no Resource`);
    for (const action of actions) {
      if (action.includes('*') || !ACTION.test(action)) problems.push(`${at}: wildcard or malformed action ${JSON.stringify(action)}`);
    }
    for (const resource of resources) {
      if (resource === '*') {
        for (const action of actions) {
          if (!WILDCARD_RESOURCE_ALLOW_LIST.some((g) => g.action === action)) {
            problems.push(`${at}: ${action} on Resource "*" is not on WILDCARD_RESOURCE_ALLOW_LIST`);
          }
        }
      } else if (resource.includes('*') && !WILDCARD_ARN_ALLOW_LIST.some((entry) => entry.pattern.test(resource))) {
        problems.push(`${at}: wildcard resource ${resource} is not on WILDCARD_ARN_ALLOW_LIST`);
      }
    }
  });
  return problems;
}

/**
 * Every policy document of a synthesized stack (`aws_iam_role_policy`, `aws_iam_policy`), checked
 * with {@link findPolicyViolations}.
 */
export function findStackPolicyViolations(terraform: unknown): string[] {
  const resources = isRecord(terraform) && isRecord(terraform['resource']) ? terraform['resource'] : {};
  const problems: string[] = [];
  for (const type of ['aws_iam_role_policy', 'aws_iam_policy']) {
    const byName = isRecord(resources[type]) ? resources[type] : {};
    for (const [name, resource] of Object.entries(byName)) {
      const policy = isRecord(resource) ? resource['policy'] : undefined;
      problems.push(...(typeof policy === 'string' ? findPolicyViolations(policy, `${type}.${name}`) : [`${type}.${name}: no policy document`]));
    }
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
