import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The synthesized stack as the local run reads it: `cdktf.out/stacks/<stack>/cdk.tf.json`, the very
 * file `terraform apply` takes. Terraform references (`${aws_sqs_queue.review.url}`) are resolved to
 * the local stand-ins' addresses; a reference nobody knows how to resolve is an error, never left in.
 */

/** The parts of a synthesized stack the local run reads. */
export interface TerraformJson {
  provider?: { aws?: Array<{ region?: string }> };
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

/** `cdktf.out/stacks/<stackName>/cdk.tf.json` under `root`. */
export function synthesizedFile(root: string, stackName: string): string {
  return join(root, 'cdktf.out', 'stacks', stackName, 'cdk.tf.json');
}

export class SynthesizedStackError extends Error {
  override readonly name = 'SynthesizedStackError';
}

export function readSynthesizedStack(file: string): TerraformJson {
  if (!existsSync(file)) throw new SynthesizedStackError(`${file} does not exist: run \`npm run synth\` first`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as Partial<TerraformJson>;
  if (!json.resource || typeof json.resource !== 'object') throw new SynthesizedStackError(`${file} has no resources`);
  return json as TerraformJson;
}

/** One resource of a type, by its Terraform name; throws when the stack has none. */
export function resourceOf(stack: TerraformJson, type: string, name: string): Record<string, unknown> {
  const resource = stack.resource[type]?.[name];
  if (!resource) throw new SynthesizedStackError(`the stack has no ${type}.${name}`);
  return resource;
}

/** The single resource of a type (the stack's state machine), with its Terraform name. */
export function onlyResourceOf(stack: TerraformJson, type: string): { name: string; resource: Record<string, unknown> } {
  const entries = Object.entries(stack.resource[type] ?? {});
  if (entries.length !== 1) throw new SynthesizedStackError(`expected exactly one ${type}, found ${entries.length}`);
  return { name: entries[0]![0], resource: entries[0]![1] };
}

export function stringAttribute(resource: Record<string, unknown>, attribute: string, what: string): string {
  const value = resource[attribute];
  if (typeof value !== 'string') throw new SynthesizedStackError(`${what} has no ${attribute}`);
  return value;
}

/** Where the local stand-ins live: region and account of every ARN and URL made up locally. */
export interface LocalAccount {
  region: string;
  account: string;
}

/**
 * The value of every reference the local run can resolve, by reference text (`aws_sqs_queue.review.url`):
 * ARNs and names follow AWS's formats, so what the definition and the functions see is what they
 * would see deployed (a queue URL is `https://sqs.<region>.amazonaws.com/<account>/<name>`).
 */
export function localReferenceValues(stack: TerraformJson, { region, account }: LocalAccount): Map<string, string> {
  const values = new Map<string, string>();
  const each = (type: string, fn: (key: string, resource: Record<string, unknown>) => Record<string, string>) => {
    for (const [key, resource] of Object.entries(stack.resource[type] ?? {})) {
      for (const [attribute, value] of Object.entries(fn(key, resource))) values.set(`${type}.${key}.${attribute}`, value);
    }
  };
  const named = (type: string, resource: Record<string, unknown>, key: string, attribute = 'name') =>
    stringAttribute(resource, attribute, `${type}.${key}`);
  each('aws_lambda_function', (key, r) => {
    const name = named('aws_lambda_function', r, key, 'function_name');
    const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
    return { arn, function_name: name, invoke_arn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations` };
  });
  each('aws_sqs_queue', (key, r) => {
    const name = named('aws_sqs_queue', r, key);
    return { url: `https://sqs.${region}.amazonaws.com/${account}/${name}`, id: `https://sqs.${region}.amazonaws.com/${account}/${name}`, arn: `arn:aws:sqs:${region}:${account}:${name}`, name };
  });
  each('aws_sns_topic', (key, r) => {
    const arn = `arn:aws:sns:${region}:${account}:${named('aws_sns_topic', r, key)}`;
    return { arn, id: arn };
  });
  each('aws_dynamodb_table', (key, r) => {
    const name = named('aws_dynamodb_table', r, key);
    return { name, id: name, arn: `arn:aws:dynamodb:${region}:${account}:table/${name}` };
  });
  each('aws_cloudwatch_event_bus', (key, r) => {
    const name = named('aws_cloudwatch_event_bus', r, key);
    return { name, id: name, arn: `arn:aws:events:${region}:${account}:event-bus/${name}` };
  });
  each('aws_iam_role', (key, r) => {
    const name = typeof r['name'] === 'string' ? r['name'] : `${key}-role`;
    return { arn: `arn:aws:iam::${account}:role/${name}`, name, id: name };
  });
  each('aws_cloudwatch_log_group', (key, r) => {
    const name = named('aws_cloudwatch_log_group', r, key);
    return { name, arn: `arn:aws:logs:${region}:${account}:log-group:${name}` };
  });
  return values;
}

/** References (`${...}`) that a text still holds. */
export function referencesIn(text: string): string[] {
  return [...new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!))];
}

export class UnresolvedReferencesError extends Error {
  override readonly name = 'UnresolvedReferencesError';

  constructor(
    readonly where: string,
    readonly references: readonly string[],
  ) {
    super(`${where}: no local stand-in for ${references.map((r) => `\${${r}}`).join(', ')}`);
  }
}

/** Replaces every `${reference}` with its local value; throws listing every one without a value. */
export function resolveReferences(text: string, values: ReadonlyMap<string, string>, where: string): string {
  const missing = referencesIn(text).filter((r) => !values.has(r));
  if (missing.length > 0) throw new UnresolvedReferencesError(where, missing);
  return text.replace(/\$\{([^}]*)\}/g, (_, reference: string) => values.get(reference)!);
}
