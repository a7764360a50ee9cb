import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Testing } from 'cdktf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_NAMES } from '../src/config.js';
import { FulfilmentStack } from '../src/fulfilment-stack.js';
import { bedrockResourceArns } from '../src/functions.js';
import { WILDCARD_ARN_ALLOW_LIST, WILDCARD_RESOURCE_ALLOW_LIST } from '../src/iam/allow-list.js';
import { findPolicyViolations, policyDocument, statement, wildcardResourceStatement } from '../src/iam/policy.js';
import { configWithBundles, makeFixtureBundles, synthStack, testApp, type TerraformJson } from './support/fixtures.js';

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: string | string[];
  [k: string]: unknown;
}
interface PolicyDoc {
  Version: string;
  Statement: Statement[];
}

const { dirs, cleanup } = makeFixtureBundles();
afterAll(cleanup);
let json: TerraformJson;
let documents: { where: string; role: string; doc: PolicyDoc }[];

/**
 * Every IAM policy document of the synthesized stack: inline role policies, managed policies, a
 * role's inline_policy blocks and policy-document data sources. The stack only writes the first
 * kind; the walk covers the others so that adding one cannot slip past this test.
 */
function policyDocuments(j: TerraformJson): { where: string; role: string; doc: PolicyDoc }[] {
  const out: { where: string; role: string; doc: PolicyDoc }[] = [];
  for (const [name, r] of Object.entries(j.resource['aws_iam_role_policy'] ?? {})) {
    out.push({ where: `aws_iam_role_policy.${name}`, role: String(r.role), doc: JSON.parse(r.policy) });
  }
  for (const [name, r] of Object.entries(j.resource['aws_iam_policy'] ?? {})) {
    out.push({ where: `aws_iam_policy.${name}`, role: '', doc: JSON.parse(r.policy) });
  }
  for (const [name, r] of Object.entries(j.resource['aws_iam_role'] ?? {})) {
    for (const inline of r.inline_policy ?? []) out.push({ where: `aws_iam_role.${name}.inline_policy`, role: name, doc: JSON.parse(inline.policy) });
  }
  for (const [name, d] of Object.entries(j.data['aws_iam_policy_document'] ?? {})) {
    const Statement = (d.statement ?? []).map((s: Record<string, unknown>) => ({
      Effect: s['effect'] ?? 'Allow',
      Action: s['actions'] ?? [],
      Resource: s['resources'] ?? [],
      ...(s['not_actions'] ? { NotAction: s['not_actions'] } : {}),
    }));
    out.push({ where: `data.aws_iam_policy_document.${name}`, role: '', doc: { Version: '2012-10-17', Statement } });
  }
  return out;
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

/** `{ action: sorted resources }` of one role's policy. */
function grants(role: string): Record<string, string[]> {
  const found = documents.filter((d) => d.role === `\${aws_iam_role.${role}.id}`);
  expect(found, role).toHaveLength(1);
  const out: Record<string, string[]> = {};
  for (const s of found[0]!.doc.Statement) {
    for (const a of list(s.Action)) out[a] = [...new Set([...(out[a] ?? []), ...list(s.Resource)])].sort();
  }
  return out;
}

beforeAll(() => {
  json = synthStack(configWithBundles(dirs)).json;
  documents = policyDocuments(json);
});

const LOGS_AND_TRACES = (fn: string) => ({
  'logs:CreateLogStream': [`\${aws_cloudwatch_log_group.${fn}.arn}:*`],
  'logs:PutLogEvents': [`\${aws_cloudwatch_log_group.${fn}.arn}:*`],
  'xray:PutTraceSegments': ['*'],
  'xray:PutTelemetryRecords': ['*'],
});
const IDEMPOTENCY = {
  'dynamodb:GetItem': ['${aws_dynamodb_table.idempotency.arn}'],
  'dynamodb:PutItem': ['${aws_dynamodb_table.idempotency.arn}'],
  'dynamodb:UpdateItem': ['${aws_dynamodb_table.idempotency.arn}'],
  'dynamodb:DeleteItem': ['${aws_dynamodb_table.idempotency.arn}'],
};
const STRIPE_SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:saga-dev/stripe-api-key-AbC123';
const merge = (...maps: Record<string, string[]>[]) => {
  const out: Record<string, string[]> = {};
  for (const m of maps) for (const [a, r] of Object.entries(m)) out[a] = [...new Set([...(out[a] ?? []), ...r])].sort();
  return out;
};

describe('least privilege: every policy document of the stack', () => {
  it('finds the eight role policies (seven functions, one state machine) and nothing else', () => {
    expect(documents.map((d) => d.where).sort()).toEqual(
      [...FUNCTION_NAMES, 'order-fulfilment'].map((n) => `aws_iam_role_policy.${n}`).sort(),
    );
    expect(json.resource['aws_iam_role_policy_attachment']).toBeUndefined();
  });

  it('has no wildcard action, and "*" or wildcard ARNs only where the allow-lists say AWS offers nothing narrower', () => {
    const problems: string[] = [];
    for (const { where, doc } of documents) {
      expect(doc.Version, where).toBe('2012-10-17');
      for (const s of doc.Statement) {
        const at = `${where} ${s.Sid ?? ''}`;
        if (s.Effect !== 'Allow') problems.push(`${at}: Effect ${s.Effect}`);
        for (const key of ['NotAction', 'NotResource']) if (key in s) problems.push(`${at}: ${key}`);
        const actions = list(s.Action);
        for (const a of actions) if (a === '*' || a.includes('*')) problems.push(`${at}: wildcard action ${a}`);
        for (const r of list(s.Resource)) {
          if (r === '*') {
            for (const a of actions) if (!WILDCARD_RESOURCE_ALLOW_LIST.some((g) => g.action === a)) problems.push(`${at}: ${a} on "*"`);
          } else if (r.includes('*') && !WILDCARD_ARN_ALLOW_LIST.some((e) => e.pattern.test(r))) {
            problems.push(`${at}: wildcard ARN ${r}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('agrees with findPolicyViolations, the check every synth runs', () => {
    for (const { where, doc } of documents) expect(findPolicyViolations(doc, where)).toEqual([]);
  });

  it('uses every allow-list entry (none is stale), each with a reason and the AWS documentation', () => {
    const starActions = new Set(documents.flatMap(({ doc }) => doc.Statement.filter((s) => list(s.Resource).includes('*')).flatMap((s) => list(s.Action))));
    for (const grant of WILDCARD_RESOURCE_ALLOW_LIST) {
      expect(starActions.has(grant.action), grant.action).toBe(true);
      expect(grant.reason.length).toBeGreaterThan(40);
      expect(grant.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
    const wildcardArns = documents.flatMap(({ doc }) => doc.Statement.flatMap((s) => list(s.Resource))).filter((r) => r !== '*' && r.includes('*'));
    for (const entry of WILDCARD_ARN_ALLOW_LIST) {
      expect(wildcardArns.some((r) => entry.pattern.test(r)), String(entry.pattern)).toBe(true);
      expect(entry.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    }
  });

  it('puts "*" only in statements made entirely of allow-listed actions, for the roles the list names', () => {
    for (const { where, doc } of documents) {
      const kind = where.endsWith('order-fulfilment') ? 'state-machine' : 'lambda';
      for (const s of doc.Statement.filter((x) => list(x.Resource).includes('*'))) {
        expect(list(s.Resource), where).toEqual(['*']);
        for (const a of list(s.Action)) expect(WILDCARD_RESOURCE_ALLOW_LIST.find((g) => g.action === a)?.usedBy, `${where} ${a}`).toContain(kind);
      }
    }
  });
});

describe('each role gets exactly what it uses', () => {
  it('charge-payment and refund-payment: the Stripe secret and their logs, no table (the state machine keeps the payment record)', () => {
    // The Parameters and Secrets extension reads the secret with the function's role: that one secret only.
    for (const fn of ['charge-payment', 'refund-payment']) {
      expect(grants(fn)).toEqual(merge({ 'secretsmanager:GetSecretValue': [STRIPE_SECRET] }, LOGS_AND_TRACES(fn)));
    }
  });

  it('reserve-stock and release-stock: transactions on the stock and orders tables', () => {
    const tables = ['${aws_dynamodb_table.orders.arn}', '${aws_dynamodb_table.stock.arn}'];
    for (const fn of ['reserve-stock', 'release-stock']) {
      expect(grants(fn)).toEqual(
        merge(
          Object.fromEntries(
            ['TransactWriteItems', 'UpdateItem', 'PutItem', 'GetItem', 'ConditionCheckItem'].map((a) => [`dynamodb:${a}`, tables]),
          ),
          LOGS_AND_TRACES(fn),
        ),
      );
    }
  });

  it('emit-receipt: the receipts table, PutEvents on the bus, idempotency records', () => {
    expect(grants('emit-receipt')).toEqual(
      merge(
        { 'dynamodb:GetItem': ['${aws_dynamodb_table.receipts.arn}'], 'dynamodb:PutItem': ['${aws_dynamodb_table.receipts.arn}'] },
        { 'events:PutEvents': ['${aws_cloudwatch_event_bus.events.arn}'] },
        IDEMPOTENCY,
        LOGS_AND_TRACES('emit-receipt'),
      ),
    );
  });

  it('book-shipment: idempotency records and its logs', () => {
    expect(grants('book-shipment')).toEqual(merge(IDEMPOTENCY, LOGS_AND_TRACES('book-shipment')));
  });

  it('analyze-error: bedrock:InvokeModel on the inference profile and its model only', () => {
    expect(grants('analyze-error')).toEqual(
      merge(
        {
          'bedrock:InvokeModel': [
            'arn:${data.aws_partition.partition.partition}:bedrock:eu-west-1:${data.aws_caller_identity.current.account_id}:inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0',
            'arn:${data.aws_partition.partition.partition}:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
          ],
        },
        LOGS_AND_TRACES('analyze-error'),
      ),
    );
  });

  it('the state machine may invoke exactly the functions its definition calls, send to the review queue, publish to the topic, read and update the order record', () => {
    const definition = json.resource['aws_sfn_state_machine']!['order-fulfilment'].definition as string;
    const invoked = [...new Set([...definition.matchAll(/"FunctionName": "([^"]+)"/g)].map((m) => m[1]!))].sort();
    expect(invoked).toEqual(FUNCTION_NAMES.map((n) => `\${aws_lambda_function.${n}.arn}`).sort());
    const g = grants('order-fulfilment');
    expect(g['lambda:InvokeFunction']).toEqual(invoked);
    expect(g['sqs:SendMessage']).toEqual(['${aws_sqs_queue.review.arn}']);
    expect(g['sns:Publish']).toEqual(['${aws_sns_topic.notifications.arn}']);
    // The payment subflows' dynamodb:getItem and dynamodb:updateItem Tasks, on the orders table only.
    expect(g['dynamodb:GetItem']).toEqual(['${aws_dynamodb_table.orders.arn}']);
    expect(g['dynamodb:UpdateItem']).toEqual(['${aws_dynamodb_table.orders.arn}']);
    const named = ['lambda:InvokeFunction', 'sqs:SendMessage', 'sns:Publish', 'dynamodb:GetItem', 'dynamodb:UpdateItem'];
    const rest = Object.entries(g).filter(([a]) => !named.includes(a));
    for (const [action, resources] of rest) {
      expect(action).toMatch(/^(logs|xray):/);
      expect(resources).toEqual(['*']);
    }
  });

  it('roles trust only their service; the state machine role only for this account and state machine', () => {
    for (const fn of FUNCTION_NAMES) {
      expect(JSON.parse(json.resource['aws_iam_role']![fn].assume_role_policy)).toEqual({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      });
    }
    expect(JSON.parse(json.resource['aws_iam_role']!['order-fulfilment'].assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': '${data.aws_caller_identity.current.account_id}' },
          ArnLike: {
            'aws:SourceArn':
              'arn:${data.aws_partition.partition.partition}:states:eu-west-1:${data.aws_caller_identity.current.account_id}:stateMachine:saga-dev-order-fulfilment',
          },
        },
      },
    ]);
  });
});

describe('the guards', () => {
  it('statement() refuses wildcard actions and the "*" resource', () => {
    expect(() => statement('All', ['dynamodb:*'], ['arn:aws:dynamodb:eu-west-1:1:table/t'])).toThrow(/no wildcards/);
    expect(() => statement('All', ['*'], ['arn:aws:dynamodb:eu-west-1:1:table/t'])).toThrow(/no wildcards/);
    expect(() => statement('Get', ['s3:Get*'], ['arn:aws:s3:::b'])).toThrow(/no wildcards/);
    expect(() => statement('Any', ['s3:GetObject'], ['*'])).toThrow(/wildcardResourceStatement/);
  });

  it('wildcardResourceStatement() takes only allow-listed actions, for the roles the list names', () => {
    expect(() => wildcardResourceStatement('S3', ['s3:ListAllMyBuckets'], 'lambda')).toThrow(/not on WILDCARD_RESOURCE_ALLOW_LIST/);
    expect(() => wildcardResourceStatement('Logs', ['logs:CreateLogDelivery'], 'lambda')).toThrow(/for lambda/);
    expect(wildcardResourceStatement('Traces', ['xray:PutTraceSegments'], 'lambda').Resource).toEqual(['*']);
  });

  it('findPolicyViolations reports each kind of violation', () => {
    const doc = JSON.parse(
      policyDocument([
        { Sid: 'A', Effect: 'Allow', Action: ['s3:*'], Resource: ['arn:aws:s3:::b'] },
        { Sid: 'B', Effect: 'Allow', Action: ['s3:ListAllMyBuckets'], Resource: ['*'] },
        { Sid: 'C', Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::b/*'] },
      ]),
    );
    expect(findPolicyViolations(doc, 'p')).toEqual([
      'p Statement[0] (A): wildcard or malformed action "s3:*"',
      'p Statement[1] (B): s3:ListAllMyBuckets on Resource "*" is not on WILDCARD_RESOURCE_ALLOW_LIST',
      'p Statement[2] (C): wildcard resource arn:aws:s3:::b/* is not on WILDCARD_ARN_ALLOW_LIST',
    ]);
  });

  it('synth refuses a stack that gains an over-broad policy', () => {
    const stack = new FulfilmentStack(testApp(), 'dev', { config: configWithBundles(dirs) });
    new IamRolePolicy(stack, 'sneaky', {
      role: stack.functions['book-shipment'].role.id,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] }),
    });
    expect(() => Testing.synth(stack, true)).toThrow(/wildcard or malformed action "dynamodb:\*"/);
  });

  it('grants Bedrock on the narrowest ARNs for each kind of model id', () => {
    const ctx = { partition: 'aws', region: 'eu-west-1', accountId: '123456789012' };
    expect(bedrockResourceArns('anthropic.claude-haiku-4-5-20251001-v1:0', ctx)).toEqual([
      'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
    ]);
    expect(bedrockResourceArns('global.anthropic.claude-haiku-4-5-20251001-v1:0', ctx)).toEqual([
      'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0',
      'arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
      'arn:aws:bedrock:::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
    ]);
  });
});
