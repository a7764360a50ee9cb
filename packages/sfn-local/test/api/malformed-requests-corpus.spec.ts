import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import type { JsonValue } from '@saga/asl';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskResolver } from '../../src/integrations/types.js';
import { definitions, ROLE_ARN, startServer, type TestServer } from './support.js';

/**
 * Issue #7, bad input at the engine's HTTP API: a generated corpus of malformed requests (targets,
 * methods, content types, bodies, members missing or of the wrong type, constraint violations, ARNs,
 * names, payload sizes, invalid UTF-8, prototype keys, connections cut mid-body). Every one gets an
 * AWS-shaped error (`{"__type": "com.amazonaws.sfn#<Name>", "message"}` with `x-amzn-errortype`) and
 * the status of its case; none gets a 5xx or brings the server down; none creates, changes or runs
 * anything. Afterwards the server still answers the SDK and holds only what the test created itself.
 *
 * Complements ./malformed-requests.spec.ts (the exact AWS wording of each error kind) with volume.
 */

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const SM = (name: string, scope = `aws:states:${REGION}:${ACCOUNT}`) => `arn:${scope}:stateMachine:${name}`;
const EXEC = (sm: string, name: string) => `arn:aws:states:${REGION}:${ACCOUNT}:execution:${sm}:${name}`;
const GOOD = SM('good');
const GOOD_EXECUTION_UNKNOWN = EXEC('good', 'never-started');
const BOGUS_TOKEN = 'AAAAbogusTokenThatNoTaskHas0000';

type MemberType = 'string' | 'integer' | 'boolean' | 'structure' | 'list' | 'enum';

/** The operations' members (botocore's Step Functions model), with a valid body to mutate. */
const MODEL: Record<string, { base: Record<string, JsonValue>; members: Record<string, MemberType>; required: string[] }> = {
  CreateStateMachine: {
    base: { name: 'never-created', definition: definitions.pass, roleArn: ROLE_ARN },
    members: {
      name: 'string',
      definition: 'string',
      roleArn: 'string',
      type: 'enum',
      loggingConfiguration: 'structure',
      tags: 'list',
      tracingConfiguration: 'structure',
      publish: 'boolean',
      versionDescription: 'string',
      encryptionConfiguration: 'structure',
    },
    required: ['name', 'definition', 'roleArn'],
  },
  DescribeStateMachine: { base: { stateMachineArn: GOOD }, members: { stateMachineArn: 'string', includedData: 'enum' }, required: ['stateMachineArn'] },
  ListStateMachines: { base: {}, members: { maxResults: 'integer', nextToken: 'string' }, required: [] },
  UpdateStateMachine: {
    base: { stateMachineArn: GOOD, definition: definitions.pass },
    members: {
      stateMachineArn: 'string',
      definition: 'string',
      roleArn: 'string',
      loggingConfiguration: 'structure',
      tracingConfiguration: 'structure',
      publish: 'boolean',
      versionDescription: 'string',
      encryptionConfiguration: 'structure',
    },
    required: ['stateMachineArn'],
  },
  DeleteStateMachine: { base: { stateMachineArn: GOOD }, members: { stateMachineArn: 'string' }, required: ['stateMachineArn'] },
  DescribeStateMachineForExecution: {
    base: { executionArn: GOOD_EXECUTION_UNKNOWN },
    members: { executionArn: 'string', includedData: 'enum' },
    required: ['executionArn'],
  },
  StartExecution: {
    base: { stateMachineArn: GOOD, name: 'never-started', input: '{}' },
    members: { stateMachineArn: 'string', name: 'string', input: 'string', traceHeader: 'string' },
    required: ['stateMachineArn'],
  },
  StartSyncExecution: {
    base: { stateMachineArn: GOOD, input: '{}' },
    members: { stateMachineArn: 'string', name: 'string', input: 'string', traceHeader: 'string', includedData: 'enum' },
    required: ['stateMachineArn'],
  },
  DescribeExecution: { base: { executionArn: GOOD_EXECUTION_UNKNOWN }, members: { executionArn: 'string', includedData: 'enum' }, required: ['executionArn'] },
  ListExecutions: {
    base: { stateMachineArn: GOOD },
    members: { stateMachineArn: 'string', statusFilter: 'enum', maxResults: 'integer', nextToken: 'string', mapRunArn: 'string', redriveFilter: 'enum' },
    required: [],
  },
  StopExecution: {
    base: { executionArn: GOOD_EXECUTION_UNKNOWN },
    members: { executionArn: 'string', error: 'string', cause: 'string' },
    required: ['executionArn'],
  },
  GetExecutionHistory: {
    base: { executionArn: GOOD_EXECUTION_UNKNOWN },
    members: { executionArn: 'string', maxResults: 'integer', reverseOrder: 'boolean', nextToken: 'string', includeExecutionData: 'boolean' },
    required: ['executionArn'],
  },
  SendTaskSuccess: { base: { taskToken: BOGUS_TOKEN, output: '{}' }, members: { taskToken: 'string', output: 'string' }, required: ['taskToken', 'output'] },
  SendTaskFailure: {
    base: { taskToken: BOGUS_TOKEN },
    members: { taskToken: 'string', error: 'string', cause: 'string' },
    required: ['taskToken'],
  },
  SendTaskHeartbeat: { base: { taskToken: BOGUS_TOKEN }, members: { taskToken: 'string' }, required: ['taskToken'] },
  ValidateStateMachineDefinition: {
    base: { definition: definitions.pass },
    members: { definition: 'string', type: 'enum', severity: 'enum', maxResults: 'integer' },
    required: ['definition'],
  },
  TestState: {
    base: { definition: JSON.stringify({ Type: 'Pass', End: true }), input: '{}' },
    members: {
      definition: 'string',
      roleArn: 'string',
      input: 'string',
      inspectionLevel: 'enum',
      revealSecrets: 'boolean',
      variables: 'string',
      stateName: 'string',
      mock: 'structure',
      context: 'string',
      stateConfiguration: 'structure',
    },
    required: ['definition'],
  },
  TagResource: { base: { resourceArn: GOOD, tags: [{ key: 'k', value: 'v' }] }, members: { resourceArn: 'string', tags: 'list' }, required: ['resourceArn', 'tags'] },
  UntagResource: { base: { resourceArn: GOOD, tagKeys: ['k'] }, members: { resourceArn: 'string', tagKeys: 'list' }, required: ['resourceArn', 'tagKeys'] },
  ListTagsForResource: { base: { resourceArn: GOOD }, members: { resourceArn: 'string' }, required: ['resourceArn'] },
};
const OPERATIONS = Object.keys(MODEL);

/** Values of the wrong JSON type for a member of each type (the type named in the error). */
const WRONG: Record<MemberType, { type: string; samples: JsonValue[] }> = {
  string: { type: 'string', samples: [1, 1.5, true, [], {}, ['x']] },
  enum: { type: 'string', samples: [1, true, [], {}] },
  integer: { type: 'integer', samples: ['10', 1.5, true, [], {}] },
  boolean: { type: 'boolean', samples: ['true', 1, 0, [], {}] },
  structure: { type: 'structure', samples: ['x', 1, true, []] },
  list: { type: 'list', samples: ['x', 1, true, {}] },
};

interface Case {
  family: string;
  name: string;
  method?: string;
  path?: string;
  /** `null`: no X-Amz-Target header. */
  target?: string | null;
  contentType?: string | null;
  body: string | Uint8Array;
  expect: { status: number; type?: string; message?: string | RegExp };
  /** Known product gap (see the issue #7 report): what it does instead, and what it leaves behind. */
  gap?: { creates: 'stateMachine' | 'execution' };
}

const validation = (message?: string | RegExp) => ({ status: 400, type: 'ValidationException', ...(message ? { message } : {}) });
const error = (type: string, message?: string | RegExp) => ({ status: 400, type, ...(message ? { message } : {}) });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));

/** Characters AWS forbids in state machine and execution names. */
const FORBIDDEN_NAME_CHARS = [
  ...' \t\n\r\u000b\u000c\u00a0\u2028<>{}[]?*"#%\\^|~`$&,;:/',
  ...Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i)).filter((c) => !' \t\n\r\u000b\u000c'.includes(c)),
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009f',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udfff',
];

function corpus(): Case[] {
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);
  const json = (v: unknown) => JSON.stringify(v);

  // -- targets
  for (const op of OPERATIONS) {
    add({ family: 'target', name: `lowercase ${op}`, target: `AWSStepFunctions.${op.toLowerCase()}`, body: '{}', expect: error('UnknownOperationException') });
    add({ family: 'target', name: `${op} in the plural`, target: `AWSStepFunctions.${op}s`, body: '{}', expect: error('UnknownOperationException') });
    add({ family: 'target', name: `${op} under a lowercase prefix`, target: `awsstepfunctions.${op}`, body: '{}', expect: error('UnknownOperationException') });
    add({ family: 'target', name: `${op} without the prefix`, target: op, body: '{}', expect: error('UnknownOperationException') });
  }
  for (const target of [
    '',
    'AWSStepFunctions.',
    'AWSStepFunctions',
    'AWSStepFunctions.LaunchRocket',
    'AWSStepFunctions.__proto__',
    'AWSStepFunctions.constructor',
    'AWSStepFunctions.hasOwnProperty',
    'AWSStepFunctions.toString',
    'AWSStepFunctions.valueOf',
    'AWSStepFunctions.StartExecution.Extra',
    'AWSStepFunctions.Start Execution',
    'AWSLambda.Invoke',
    'DynamoDB_20120810.PutItem',
    'AWSStepFunctions.StartExecution,AWSStepFunctions.DeleteStateMachine',
  ]) {
    add({ family: 'target', name: `target ${json(target)}`, target, body: '{}', expect: error('UnknownOperationException') });
  }
  add({ family: 'target', name: 'no X-Amz-Target', target: null, body: '{}', expect: error('UnknownOperationException', 'Missing X-Amz-Target header') });
  for (const op of ['CreateActivity', 'GetActivityTask', 'RedriveExecution', 'PublishStateMachineVersion', 'DescribeMapRun', 'CreateStateMachineAlias']) {
    add({
      family: 'target',
      name: `unsupported ${op}`,
      target: `AWSStepFunctions.${op}`,
      body: '{"name":"x"}',
      expect: error('UnknownOperationException', `Operation not supported by sfn-local: ${op}`),
    });
  }

  // -- methods (the API is POST /)
  for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    add({ family: 'method', name: method, method, target: 'AWSStepFunctions.DeleteStateMachine', body: json({ stateMachineArn: GOOD }), expect: { status: 405, type: 'UnknownOperationException' } });
  }
  add({ family: 'method', name: 'GET with a target', method: 'GET', path: '/?x=1', target: 'AWSStepFunctions.ListStateMachines', body: '', expect: { status: 405, type: 'UnknownOperationException' } });
  add({ family: 'method', name: 'HEAD', method: 'HEAD', target: 'AWSStepFunctions.ListStateMachines', body: '', expect: { status: 405 } });

  // -- content types: the body is read as JSON whatever the header says (as the SDKs always send awsJson 1.0)
  for (const contentType of [null, 'text/plain', 'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/x-amz-json-1.1']) {
    add({ family: 'content-type', name: `${contentType ?? 'no content-type'}, missing member`, target: 'AWSStepFunctions.DescribeStateMachine', contentType, body: '{}', expect: validation(/'stateMachineArn'/) });
    add({ family: 'content-type', name: `${contentType ?? 'no content-type'}, form body`, target: 'AWSStepFunctions.DescribeStateMachine', contentType, body: `stateMachineArn=${encodeURIComponent(GOOD)}`, expect: error('SerializationException') });
  }

  // -- bodies that are not a JSON object, for every operation
  const notJson = ['{', '{"a":', '{"a":1,}', "{'a':1}", '{a:1}', 'undefined', 'NaN', '{"a":NaN}', '{} x', '{}{}', '\ufeff{}', '[', '"', '{"a":"\u0001"}', '{"a":01}'];
  const notObject = ['[]', '[{}]', '1', '-0', '"{}"', 'null', 'true', 'false'];
  for (const op of OPERATIONS) {
    for (const body of notJson) {
      add({ family: 'bad json', name: `${op} ${json(body)}`, target: `AWSStepFunctions.${op}`, body, expect: error('SerializationException', /Invalid JSON/) });
    }
    for (const body of notObject) {
      add({ family: 'not an object', name: `${op} ${body}`, target: `AWSStepFunctions.${op}`, body, expect: error('SerializationException', 'The request body must be a JSON object') });
    }
  }

  // -- members: missing, null, wrong types
  for (const [op, { base, members, required }] of Object.entries(MODEL)) {
    const target = `AWSStepFunctions.${op}`;
    if (required.length > 0) {
      add({
        family: 'missing member',
        name: `${op} {}`,
        target,
        body: '{}',
        expect: validation(`${required.length} validation error${required.length === 1 ? '' : 's'} detected: ${required.map((m) => `Value null at '${m}' failed to satisfy constraint: Member must not be null`).join('; ')}`),
      });
    }
    for (const member of required) {
      const without = Object.fromEntries(Object.entries(base).filter(([k]) => k !== member));
      const message = `Value null at '${member}' failed to satisfy constraint: Member must not be null`;
      add({ family: 'missing member', name: `${op} without ${member}`, target, body: json(without), expect: validation(new RegExp(escape(message))) });
      add({ family: 'missing member', name: `${op} ${member}: null`, target, body: json({ ...base, [member]: null }), expect: validation(new RegExp(escape(message))) });
    }
    for (const [member, type] of Object.entries(members)) {
      for (const sample of WRONG[type].samples) {
        add({
          family: 'wrong type',
          name: `${op} ${member}: ${json(sample)}`,
          target,
          body: json({ ...base, [member]: sample }),
          expect: validation(new RegExp(`at '${escape(member)}' failed to satisfy constraint: Member must be of type ${WRONG[type].type}`)),
        });
      }
    }
  }
  // Nested members.
  const tagBase = MODEL['TagResource']!.base;
  const smBase = MODEL['CreateStateMachine']!.base;
  const testBase = MODEL['TestState']!.base;
  for (const [op, what, body, message] of [
    ['TagResource', 'tags not a list of structures', { ...tagBase, tags: ['k=v'] }, /at 'tags.1.member' failed to satisfy constraint: Member must be of type structure/],
    ['TagResource', 'a null tag', { ...tagBase, tags: [null] }, /Value null at 'tags.1.member'/],
    ['TagResource', 'a tag key of the wrong type', { ...tagBase, tags: [{ key: 1, value: 'v' }] }, /at 'tags.1.member.key' failed to satisfy constraint: Member must be of type string/],
    ['TagResource', 'an empty tag key', { ...tagBase, tags: [{ key: '', value: 'v' }] }, /at 'tags.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1/],
    ['TagResource', 'a tag key of 129 characters', { ...tagBase, tags: [{ key: 'k'.repeat(129), value: 'v' }] }, /at 'tags.1.member.key'.*less than or equal to 128/],
    ['UntagResource', 'tag keys with a number', { ...MODEL['UntagResource']!.base, tagKeys: [1] }, /at 'tagKeys.1.member' failed to satisfy constraint: Member must be of type string/],
    ['CreateStateMachine', 'logging level not in the enum', { ...smBase, loggingConfiguration: { level: 'LOUD' } }, /at 'loggingConfiguration.level'.*enum value set/],
    ['CreateStateMachine', 'two log destinations', { ...smBase, loggingConfiguration: { destinations: [{}, {}] } }, /at 'loggingConfiguration.destinations'.*less than or equal to 1/],
    ['CreateStateMachine', 'tracing enabled as a string', { ...smBase, tracingConfiguration: { enabled: 'yes' } }, /at 'tracingConfiguration.enabled'.*type boolean/],
    ['CreateStateMachine', 'encryption without its type', { ...smBase, encryptionConfiguration: {} }, /Value null at 'encryptionConfiguration.type'/],
    ['CreateStateMachine', 'encryption key reuse of 59 s', { ...smBase, encryptionConfiguration: { type: 'AWS_OWNED_KEY', kmsDataKeyReusePeriodSeconds: 59 } }, /at 'encryptionConfiguration.kmsDataKeyReusePeriodSeconds'.*greater than or equal to 60/],
    ['TestState', 'a mock result of the wrong type', { ...testBase, mock: { result: {} } }, /at 'mock.result'.*type string/],
    ['TestState', 'a negative retrier count', { ...testBase, stateConfiguration: { retrierRetryCount: -1 } }, /at 'stateConfiguration.retrierRetryCount'.*greater than or equal to 0/],
  ] as const) {
    add({ family: 'nested member', name: `${op} ${what}`, target: `AWSStepFunctions.${op}`, body: json(body), expect: validation(message) });
  }

  // -- constraints
  const constraint = (op: string, what: string, patch: Record<string, JsonValue>, message: RegExp) =>
    add({ family: 'constraint', name: `${op} ${what}`, target: `AWSStepFunctions.${op}`, body: json({ ...MODEL[op]!.base, ...patch }), expect: validation(message) });
  for (const op of ['CreateStateMachine', 'StartExecution', 'StartSyncExecution']) {
    constraint(op, 'name empty', { name: '' }, /at 'name'.*greater than or equal to 1/);
    constraint(op, 'name of 81 characters', { name: 'n'.repeat(81) }, /at 'name'.*less than or equal to 80/);
  }
  for (const [op, { members }] of Object.entries(MODEL)) {
    for (const member of Object.keys(members).filter((m) => /Arn$/.test(m))) {
      constraint(op, `${member} empty`, { [member]: '' }, new RegExp(`at '${member}'.*greater than or equal to 1`));
      const max = member === 'mapRunArn' ? 2000 : 256;
      constraint(op, `${member} of ${max + 1} characters`, { [member]: `${GOOD}${'x'.repeat(max + 1 - GOOD.length)}` }, new RegExp(`at '${member}'.*less than or equal to ${max}`));
    }
    if ('maxResults' in members) {
      const max = op === 'ValidateStateMachineDefinition' ? 100 : 1000;
      constraint(op, 'maxResults -1', { maxResults: -1 }, /at 'maxResults'.*greater than or equal to 0/);
      constraint(op, `maxResults ${max + 1}`, { maxResults: max + 1 }, new RegExp(`at 'maxResults'.*less than or equal to ${max}`));
      constraint(op, 'maxResults 2^53 + 1', { maxResults: 2 ** 53 + 1 }, new RegExp(`at 'maxResults'.*less than or equal to ${max}`));
      add({ family: 'constraint', name: `${op} maxResults 1e400 (Infinity)`, target: `AWSStepFunctions.${op}`, body: `{${json(MODEL[op]!.base).slice(1, -1)}${Object.keys(MODEL[op]!.base).length ? ',' : ''}"maxResults":1e400}`, expect: validation(/at 'maxResults'.*type integer/) });
    }
    for (const [member, type] of Object.entries(members)) {
      if (type === 'enum') constraint(op, `${member} not in its enum`, { [member]: 'SOMETHING_ELSE' }, new RegExp(`at '${member}'.*enum value set`));
    }
  }
  for (const op of ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat']) {
    constraint(op, 'taskToken empty', { taskToken: '' }, /at 'taskToken'.*greater than or equal to 1/);
    constraint(op, 'taskToken of 2049 characters', { taskToken: 't'.repeat(2049) }, /at 'taskToken'.*less than or equal to 2048/);
  }
  constraint('StartExecution', 'traceHeader not ASCII', { traceHeader: 'Root=1-é' }, /at 'traceHeader'.*regular expression pattern/);
  constraint('StartExecution', 'traceHeader of 257 characters', { traceHeader: 'R'.repeat(257) }, /at 'traceHeader'.*less than or equal to 256/);
  constraint('StopExecution', 'error of 257 characters', { error: 'E'.repeat(257) }, /Value at 'error'.*less than or equal to 256/);
  constraint('StopExecution', 'cause of 32769 characters', { cause: 'C'.repeat(32_769) }, /Value at 'cause'.*less than or equal to 32768/);
  constraint('SendTaskFailure', 'error of 257 characters', { error: 'E'.repeat(257) }, /Value at 'error'.*less than or equal to 256/);
  constraint('CreateStateMachine', 'definition empty', { definition: '' }, /Value at 'definition'.*greater than or equal to 1/);
  constraint('CreateStateMachine', 'definition over 1048576 characters', { definition: ' '.repeat(1_048_577) }, /Value at 'definition'.*less than or equal to 1048576/);
  constraint('UpdateStateMachine', 'definition over 1048576 characters', { definition: ' '.repeat(1_048_577) }, /Value at 'definition'.*less than or equal to 1048576/);
  constraint('TestState', 'stateName of 81 characters', { stateName: 's'.repeat(81) }, /Value at 'stateName'.*less than or equal to 80/);

  // -- payload sizes (256 KB = 262144 bytes of UTF-8)
  const big = (n: number, ch = 'x') => json({ blob: ch.repeat(n) });
  add({ family: 'size', name: 'StartExecution input of 262145 ASCII bytes', target: 'AWSStepFunctions.StartExecution', body: json({ stateMachineArn: GOOD, input: big(262_145 - '{"blob":""}'.length) }), expect: validation(/Value at 'input'.*less than or equal to 262144/) });
  add({ family: 'size', name: 'StartExecution input of 131073 two-byte characters (262 KB of UTF-8)', target: 'AWSStepFunctions.StartExecution', body: json({ stateMachineArn: GOOD, input: big(131_073, 'é') }), expect: validation(/at 'input'.*less than or equal to 262144/) });
  add({ family: 'size', name: 'StartExecution input of 100000 four-byte characters', target: 'AWSStepFunctions.StartExecution', body: json({ stateMachineArn: GOOD, input: big(100_000, '😀') }), expect: validation(/at 'input'.*less than or equal to 262144/) });
  add({ family: 'size', name: 'StartSyncExecution input over 256 KB', target: 'AWSStepFunctions.StartSyncExecution', body: json({ stateMachineArn: GOOD, input: big(300_000) }), expect: validation(/at 'input'.*less than or equal to 262144/) });
  add({ family: 'size', name: 'SendTaskSuccess output over 256 KB', target: 'AWSStepFunctions.SendTaskSuccess', body: json({ taskToken: BOGUS_TOKEN, output: big(300_000) }), expect: validation(/at 'output'.*less than or equal to 262144/) });
  add({ family: 'size', name: 'TestState input over 256 KB', target: 'AWSStepFunctions.TestState', body: json({ ...MODEL['TestState']!.base, input: big(300_000) }), expect: validation(/at 'input'.*less than or equal to 262144/) });
  for (const mb of [4, 8, 20]) {
    add({ family: 'size', name: `a body of ${mb} MB`, target: 'AWSStepFunctions.StartExecution', body: json({ stateMachineArn: GOOD, input: 'x'.repeat(mb * 1024 * 1024) }), expect: { status: 413, type: 'ValidationException', message: /larger than the/ } });
  }

  // -- StartExecution input that is not JSON (the machine exists)
  for (const input of ['', ' ', 'not json', '{', '{"a":}', 'undefined', "{'a':1}", '{"a":1}}', '\ufeff{}']) {
    add({ family: 'execution input', name: `input ${json(input)}`, target: 'AWSStepFunctions.StartExecution', body: json({ stateMachineArn: GOOD, input }), expect: error('InvalidExecutionInput', /Invalid State Machine Execution Input/) });
  }

  // -- ARNs
  const malformed = [
    'not-an-arn',
    'arn',
    'arn:aws',
    'arn:aws:states',
    `arn:aws:states:${REGION}`,
    `arn:aws:states:${REGION}:${ACCOUNT}`,
    `ARN:AWS:STATES:${REGION}:${ACCOUNT}:stateMachine:good`,
    ` ${GOOD}`,
    `arn:aws:sqs:${REGION}:${ACCOUNT}:queue`,
    `arn:aws:lambda:${REGION}:${ACCOUNT}:function:good`,
    `arn:aws:states:${REGION}:12345678901a:stateMachine:good`,
    `arn:aws:states:US-EAST-1:${ACCOUNT}:stateMachine:good`,
    `arn:foo:states:${REGION}:${ACCOUNT}:stateMachine:good`,
    `arn:aws:states:${REGION}:${ACCOUNT}:`,
    `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine`,
    `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:`,
    `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine::x`,
    '::::::',
  ];
  const arnCase = (family: string, op: string, member: string, arn: string, expect: Case['expect'], extra: Record<string, JsonValue> = {}) =>
    add({ family, name: `${op} ${member} ${json(arn)}`, target: `AWSStepFunctions.${op}`, body: json({ ...MODEL[op]!.base, ...extra, [member]: arn }), expect });
  const smOps: [string, string][] = [
    ['DescribeStateMachine', 'stateMachineArn'],
    ['UpdateStateMachine', 'stateMachineArn'],
    ['DeleteStateMachine', 'stateMachineArn'],
    ['StartExecution', 'stateMachineArn'],
    ['StartSyncExecution', 'stateMachineArn'],
    ['ListExecutions', 'stateMachineArn'],
  ];
  const execOps: [string, string][] = [
    ['DescribeExecution', 'executionArn'],
    ['StopExecution', 'executionArn'],
    ['GetExecutionHistory', 'executionArn'],
    ['DescribeStateMachineForExecution', 'executionArn'],
  ];
  const tagOps: [string, string][] = [
    ['TagResource', 'resourceArn'],
    ['UntagResource', 'resourceArn'],
    ['ListTagsForResource', 'resourceArn'],
  ];
  for (const [op, member] of [...smOps, ...execOps, ...tagOps]) {
    for (const arn of malformed) arnCase('malformed arn', op, member, arn, error('InvalidArn', /^Invalid Arn: 'Invalid ARN/));
  }
  arnCase('malformed arn', 'ListExecutions', 'mapRunArn', 'not-an-arn', error('InvalidArn'), { stateMachineArn: null });
  const elsewhere = [
    ['another partition', SM('good', `aws-cn:states:${REGION}:${ACCOUNT}`)],
    ['another region', SM('good', `aws:states:eu-west-1:${ACCOUNT}`)],
    ['another account', SM('good', `aws:states:${REGION}:000000000000`)],
    ['an unknown machine', SM('nope')],
    ['a version of it', `${GOOD}:1`],
    ['an alias of it', `${GOOD}:live`],
    ['empty region and account', 'arn:aws:states:::stateMachine:good'],
    ['a NUL in the name', `${GOOD}\u0000`],
  ] as const;
  for (const [op, member] of smOps) {
    const wrongType = [
      `arn:aws:states:${REGION}:${ACCOUNT}:execution:good:x`,
      `arn:aws:states:${REGION}:${ACCOUNT}:activity:good`,
      `arn:aws:states:${REGION}:${ACCOUNT}:express:good:x:00000000-0000-0000-0000-000000000000`,
      `arn:aws:states:${REGION}:${ACCOUNT}:mapRun:good/x:00000000-0000-0000-0000-000000000000`,
      `${GOOD}:1:2`,
    ];
    for (const arn of wrongType) arnCase('wrong arn', op, member, arn, error('InvalidArn'));
    for (const [, arn] of elsewhere) {
      // Deleting what does not exist succeeds (AWS): never the machine of another region or account.
      if (op === 'DeleteStateMachine') arnCase('wrong arn', op, member, arn, { status: 200 });
      else arnCase('wrong arn', op, member, arn, error('StateMachineDoesNotExist', new RegExp(`'${escape(arn)}'`)));
    }
  }
  for (const [op, member] of execOps) {
    for (const arn of [
      GOOD,
      `arn:aws:states:${REGION}:${ACCOUNT}:execution:good`,
      `arn:aws:states:${REGION}:${ACCOUNT}:execution:good:x:y`,
      `arn:aws:states:${REGION}:${ACCOUNT}:express:good:x:00000000-0000-0000-0000-000000000000`,
      `arn:aws:states:${REGION}:${ACCOUNT}:activity:good`,
    ]) {
      arnCase('wrong arn', op, member, arn, error('InvalidArn'));
    }
    for (const arn of [EXEC('good', 'nope'), EXEC('nope', 'nope'), `arn:aws-cn:states:${REGION}:${ACCOUNT}:execution:good:x`, `arn:aws:states:eu-west-1:${ACCOUNT}:execution:good:x`]) {
      arnCase('wrong arn', op, member, arn, error('ExecutionDoesNotExist', new RegExp(`'${escape(arn)}'`)));
    }
  }
  for (const [op, member] of tagOps) {
    for (const [, arn] of elsewhere) arnCase('wrong arn', op, member, arn, error('ResourceNotFound'));
    arnCase('wrong arn', op, member, EXEC('good', 'x'), error('ResourceNotFound'));
  }
  arnCase('wrong arn', 'CreateStateMachine', 'roleArn', 'arn:aws:iam::123456789012:user/me', error('InvalidArn'));
  arnCase('wrong arn', 'CreateStateMachine', 'roleArn', 'role/me', error('InvalidArn'));
  arnCase('wrong arn', 'UpdateStateMachine', 'roleArn', 'arn:aws:sts::123456789012:assumed-role/x', error('InvalidArn'), { definition: null });

  // -- names
  for (const ch of FORBIDDEN_NAME_CHARS) {
    const name = `bad${ch}name`;
    const label = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    add({ family: 'name', name: `CreateStateMachine name with ${label}`, target: 'AWSStepFunctions.CreateStateMachine', body: json({ ...MODEL['CreateStateMachine']!.base, name }), expect: error('InvalidName') });
    add({ family: 'name', name: `StartExecution name with ${label}`, target: 'AWSStepFunctions.StartExecution', body: json({ stateMachineArn: GOOD, name }), expect: error('InvalidName') });
  }
  add({ family: 'name', name: 'StartExecution name that is only a space', target: 'AWSStepFunctions.StartExecution', body: json({ stateMachineArn: GOOD, name: ' ' }), expect: error('InvalidName') });
  add({ family: 'name', name: 'CreateStateMachine name of a reversed surrogate pair', target: 'AWSStepFunctions.CreateStateMachine', body: json({ ...MODEL['CreateStateMachine']!.base, name: '\udc00\ud800' }), expect: error('InvalidName') });

  // -- definitions the service refuses (the machine is never created)
  for (const [what, definition] of [
    ['not JSON', 'not json'],
    ['an empty object', '{}'],
    ['an array', '[]'],
    ['a dangling StartAt', json({ StartAt: 'Nope', States: { P: { Type: 'Pass', End: true } } })],
    ['no terminal state', json({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'A' } } })],
  ] as const) {
    add({ family: 'definition', name: `CreateStateMachine definition ${what}`, target: 'AWSStepFunctions.CreateStateMachine', body: json({ ...MODEL['CreateStateMachine']!.base, definition }), expect: error('InvalidDefinition', /^Invalid State Machine Definition/) });
    add({ family: 'definition', name: `UpdateStateMachine definition ${what}`, target: 'AWSStepFunctions.UpdateStateMachine', body: json({ stateMachineArn: GOOD, definition }), expect: error('InvalidDefinition', /^Invalid State Machine Definition/) });
  }
  add({ family: 'definition', name: 'UpdateStateMachine with nothing to update', target: 'AWSStepFunctions.UpdateStateMachine', body: json({ stateMachineArn: GOOD }), expect: error('MissingRequiredParameter') });
  add({ family: 'definition', name: 'ListExecutions without a machine or map run', target: 'AWSStepFunctions.ListExecutions', body: '{}', expect: validation(/Either stateMachineArn or mapRunArn must be specified/) });
  add({ family: 'definition', name: 'StartSyncExecution of a Standard machine', target: 'AWSStepFunctions.StartSyncExecution', body: json({ stateMachineArn: GOOD, input: '{}' }), expect: error('StateMachineTypeNotSupported') });

  // -- tokens
  for (const [op, patch] of [
    ['ListStateMachines', { nextToken: 'garbage' }],
    ['ListStateMachines', { nextToken: Buffer.from('{"k":"x","c":"","p":1}').toString('base64url') }],
    ['ListExecutions', { nextToken: 'garbage' }],
    ['ListExecutions', { nextToken: Buffer.from('{"k":"sm","c":"","p":0}').toString('base64url') }],
  ] as const) {
    add({ family: 'token', name: `${op} nextToken ${patch.nextToken}`, target: `AWSStepFunctions.${op}`, body: json({ ...MODEL[op]!.base, ...patch }), expect: error('InvalidToken') });
  }
  for (const op of ['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat']) {
    add({ family: 'token', name: `${op} with a token no task has`, target: `AWSStepFunctions.${op}`, body: json(MODEL[op]!.base), expect: error('TaskDoesNotExist') });
    add({ family: 'token', name: `${op} with a token of JSON`, target: `AWSStepFunctions.${op}`, body: json({ ...MODEL[op]!.base, taskToken: '{"arn":"x"}' }), expect: error('InvalidToken') });
  }

  // -- prototype keys: own keys named __proto__/constructor are members nobody reads
  for (const [op, member] of [...smOps, ...execOps, ...tagOps]) {
    const arn = op.includes('Execution') && member === 'executionArn' ? GOOD_EXECUTION_UNKNOWN : GOOD;
    const missing = validation(op === 'ListExecutions' ? /Either stateMachineArn or mapRunArn must be specified/ : new RegExp(`Value null at '${member}'`));
    add({ family: 'prototype keys', name: `${op} with ${member} under __proto__`, target: `AWSStepFunctions.${op}`, body: `{"__proto__":{"${member}":${json(arn)}}}`, expect: missing });
    add({ family: 'prototype keys', name: `${op} with ${member} under constructor.prototype`, target: `AWSStepFunctions.${op}`, body: `{"constructor":{"prototype":{"${member}":${json(arn)}}}}`, expect: missing });
  }
  add({ family: 'prototype keys', name: 'CreateStateMachine with every member under __proto__', target: 'AWSStepFunctions.CreateStateMachine', body: `{"__proto__":{"name":"polluted","definition":${json(definitions.pass)},"roleArn":${json(ROLE_ARN)}}}`, expect: validation(/Value null at 'name'/) });

  // -- invalid UTF-8 on the wire
  const badBytes: [string, number[]][] = [
    ['0xFF', [0xff]],
    ['0xC3 0x28', [0xc3, 0x28]],
    ['overlong 0xC0 0xAF', [0xc0, 0xaf]],
    ['CESU-8 surrogate 0xED 0xA0 0x80', [0xed, 0xa0, 0x80]],
    ['truncated 0xE2 0x82', [0xe2, 0x82]],
  ];
  for (const [i, [what, b]] of badBytes.entries()) {
    add({ family: 'invalid utf-8', name: `${what} between members`, target: 'AWSStepFunctions.ListStateMachines', body: bytes('{"maxResults":1', b, '}'), expect: error('SerializationException') });
    add({ family: 'invalid utf-8', name: `${what} in a key`, target: 'AWSStepFunctions.DescribeStateMachine', body: bytes('{"stateMachine', b, 'Arn":', json(GOOD), '}'), expect: error('SerializationException') });
    add({ family: 'invalid utf-8', name: `${what} in an ARN`, target: 'AWSStepFunctions.DescribeStateMachine', body: bytes('{"stateMachineArn":"', GOOD, b, '"}'), expect: error('SerializationException') });
    add({ family: 'invalid utf-8', name: `${what} in an enum`, target: 'AWSStepFunctions.DescribeStateMachine', body: bytes('{"stateMachineArn":', json(GOOD), ',"includedData":"ALL_DATA', b, '"}'), expect: error('SerializationException') });
    // Refused whole: invalid bytes would otherwise become U+FFFD in names and inputs.
    add({
      family: 'invalid utf-8',
      name: `${what} in a state machine name`,
      target: 'AWSStepFunctions.CreateStateMachine',
      body: bytes(`{"name":"utf8-${i}-`, b, '","definition":', json(definitions.pass), ',"roleArn":', json(ROLE_ARN), '}'),
      expect: error('SerializationException'),
    });
    add({
      family: 'invalid utf-8',
      name: `${what} in an execution name`,
      target: 'AWSStepFunctions.StartExecution',
      body: bytes('{"stateMachineArn":', json(GOOD), `,"name":"utf8-name-${i}-`, b, '"}'),
      expect: error('SerializationException'),
    });
    add({
      family: 'invalid utf-8',
      name: `${what} in the execution input`,
      target: 'AWSStepFunctions.StartExecution',
      body: bytes('{"stateMachineArn":', json(GOOD), ',"input":"{\\"a\\":\\"', b, '\\"}"}'),
      expect: error('SerializationException'),
    });
  }
  return cases;
}

interface Answer {
  status: number;
  json: any;
  headers: Headers;
}

async function send(endpoint: string, c: Case): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/x-amz-json-1.0';
  if (c.target !== null && c.target !== undefined) headers['x-amz-target'] = c.target;
  const method = c.method ?? 'POST';
  const res = await fetch(endpoint + (c.path ?? '/'), { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: c.body }) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = { unparsable: text.slice(0, 200) };
  }
  return { status: res.status, json: parsed, headers: res.headers };
}

/** What is wrong with an answer, or undefined. */
function check(c: Case, a: Answer): string | undefined {
  if (a.status !== c.expect.status) return `status ${a.status} (expected ${c.expect.status}): ${JSON.stringify(a.json)?.slice(0, 300)}`;
  if (c.expect.status === 200) return undefined;
  if (c.method === 'HEAD') return a.headers.get('x-amzn-errortype') === 'UnknownOperationException' ? undefined : 'no x-amzn-errortype';
  const type = a.json?.__type;
  if (typeof type !== 'string' || !type.startsWith('com.amazonaws.sfn#')) return `__type ${JSON.stringify(type)}`;
  const name = type.slice('com.amazonaws.sfn#'.length);
  if (c.expect.type !== undefined && name !== c.expect.type) return `${name} (expected ${c.expect.type}): ${String(a.json.message).slice(0, 300)}`;
  if (a.headers.get('x-amzn-errortype') !== name) return `x-amzn-errortype ${a.headers.get('x-amzn-errortype')}`;
  if (a.headers.get('content-type') !== 'application/x-amz-json-1.0') return `content-type ${a.headers.get('content-type')}`;
  if (!/^[0-9a-f-]{36}$/.test(a.headers.get('x-amzn-requestid') ?? '')) return 'no x-amzn-requestid';
  if (typeof a.json.message !== 'string' || a.json.message.length === 0) return 'no message';
  const m = c.expect.message;
  if (m !== undefined && !(typeof m === 'string' ? a.json.message === m : m.test(a.json.message))) {
    return `message ${JSON.stringify(String(a.json.message).slice(0, 400))} does not match ${String(m).slice(0, 300)}`;
  }
  return undefined;
}

// ----------------------------------------------------------------------------------- raw sockets

interface RawCase {
  name: string;
  /** What is written, in order; a number pauses that many ms. */
  writes: (string | Buffer | number)[];
  /** `destroy`: the client hangs up mid-request; `end`: half-closes and reads what comes back. */
  finish: 'destroy' | 'end';
  /** For `end`: the status line expected (Node's parser errors are plain HTTP, not AWS-shaped). */
  expectStatus?: number;
}

const HEAD = (extra: string) =>
  `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSStepFunctions.StartExecution\r\n${extra}\r\n`;
const START_BODY = JSON.stringify({ stateMachineArn: GOOD, name: 'cut-off', input: '{}' });

function rawCases(): RawCase[] {
  const cases: RawCase[] = [];
  const half = START_BODY.slice(0, 30);
  cases.push({ name: 'chunked, cut inside a chunk', writes: [HEAD('Transfer-Encoding: chunked\r\n'), `${START_BODY.length.toString(16)}\r\n${half}`], finish: 'destroy' });
  cases.push({ name: 'chunked, cut after a chunk size', writes: [HEAD('Transfer-Encoding: chunked\r\n'), `${START_BODY.length.toString(16)}\r\n`], finish: 'destroy' });
  cases.push({ name: 'chunked, cut before the last chunk', writes: [HEAD('Transfer-Encoding: chunked\r\n'), `${START_BODY.length.toString(16)}\r\n${START_BODY}\r\n`, 5], finish: 'destroy' });
  cases.push({ name: 'chunked, cut after several chunks', writes: [HEAD('Transfer-Encoding: chunked\r\n'), '5\r\n{"sta\r\n', 2, '5\r\nteMac\r\n', 2, '3\r\nhin'], finish: 'destroy' });
  cases.push({ name: 'chunked, half-closed mid-chunk', writes: [HEAD('Transfer-Encoding: chunked\r\n'), `${START_BODY.length.toString(16)}\r\n${half}`], finish: 'end', expectStatus: 400 });
  cases.push({ name: 'chunked, an invalid chunk size', writes: [HEAD('Transfer-Encoding: chunked\r\n'), 'zz\r\n{}\r\n0\r\n\r\n'], finish: 'end', expectStatus: 400 });
  cases.push({ name: 'Content-Length larger than the body, hang-up', writes: [HEAD(`Content-Length: ${START_BODY.length + 100}\r\n`), START_BODY], finish: 'destroy' });
  cases.push({ name: 'Content-Length larger than the body, half-close', writes: [HEAD(`Content-Length: ${START_BODY.length + 100}\r\n`), START_BODY], finish: 'end', expectStatus: 400 });
  cases.push({ name: 'headers only, then hang-up', writes: [HEAD(`Content-Length: ${START_BODY.length}\r\n`)], finish: 'destroy' });
  cases.push({ name: 'headers cut in the middle', writes: ['POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Tar'], finish: 'destroy' });
  cases.push({ name: 'Expect: 100-continue, then hang-up', writes: [HEAD(`Expect: 100-continue\r\nContent-Length: ${START_BODY.length}\r\n`), 5], finish: 'destroy' });
  cases.push({ name: 'a 5 MB chunked body, cut after 4 MB', writes: [HEAD('Transfer-Encoding: chunked\r\n'), `400000\r\n${'x'.repeat(0x400000)}\r\n`, 5], finish: 'destroy' });
  cases.push({ name: 'not HTTP', writes: ['HELLO THERE\r\n\r\n'], finish: 'end', expectStatus: 400 });
  cases.push({ name: 'both Content-Length and chunked', writes: [HEAD(`Content-Length: 2\r\nTransfer-Encoding: chunked\r\n`), '2\r\n{}\r\n0\r\n\r\n'], finish: 'end', expectStatus: 400 });
  cases.push({ name: 'headers over 16 KB', writes: [HEAD(`X-Big: ${'b'.repeat(20_000)}\r\nContent-Length: 2\r\n`), '{}'], finish: 'end', expectStatus: 431 });
  cases.push({ name: 'invalid UTF-8 in the target header', writes: [Buffer.concat([Buffer.from('POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.List'), Buffer.from([0xff]), Buffer.from('StateMachines\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}')])], finish: 'end', expectStatus: 400 });
  cases.push({ name: 'NUL in the target header', writes: ['POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.StartExecution\u0000\r\nContent-Length: 2\r\n\r\n{}'], finish: 'end', expectStatus: 400 });
  return cases;
}

async function rawExchange(port: number, c: RawCase): Promise<{ status?: number; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let settled = false;
    const done = (r: { status?: number; error?: string }) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(r);
    };
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', (e) => (c.finish === 'destroy' ? done({}) : done({ error: e.message })));
    socket.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(received);
      done(m ? { status: Number(m[1]) } : {});
    });
    socket.on('connect', async () => {
      for (const w of c.writes) {
        if (typeof w === 'number') await new Promise((r) => setTimeout(r, w));
        else socket.write(w);
      }
      if (c.finish === 'destroy') {
        setTimeout(() => done({}), 5);
      } else {
        socket.end();
        setTimeout(() => done({ error: 'no answer within 2 s' }), 2_000);
      }
    });
  });
}

// ----------------------------------------------------------------------------------- the test

let server: TestServer;
const internalErrors: unknown[] = [];
const invocations: string[] = [];
const recording: TaskResolver = (invocation) => {
  invocations.push(invocation.resource);
  return Promise.resolve({ ok: true });
};

beforeAll(async () => {
  server = await startServer({ resolve: recording, onError: (e) => internalErrors.push(e) });
  const created = await send(server.endpoint, {
    family: 'setup',
    name: 'good',
    target: 'AWSStepFunctions.CreateStateMachine',
    body: JSON.stringify({ name: 'good', definition: definitions.task('fn'), roleArn: ROLE_ARN }),
    expect: { status: 200 },
  });
  expect(created.json.stateMachineArn).toBe(GOOD);
});
afterAll(async () => {
  await server?.close();
});

describe('a generated corpus of malformed requests to the Step Functions API', () => {
  it('each gets its AWS error and status; no 5xx, no crash; nothing is created or run', async () => {
    const cases = corpus();
    const names = new Set<string>();
    for (const c of cases) {
      expect(names.has(`${c.family}: ${c.name}`), `duplicate case ${c.family}: ${c.name}`).toBe(false);
      names.add(`${c.family}: ${c.name}`);
    }
    const mismatches: string[] = [];
    const crashes: string[] = [];
    const families = new Map<string, number>();
    const gaps: Case[] = [];
    for (const c of cases) {
      families.set(c.family, (families.get(c.family) ?? 0) + 1);
      let answer: Answer;
      try {
        answer = await send(server.endpoint, c);
      } catch (e) {
        crashes.push(`${c.family}: ${c.name}: ${e instanceof Error ? `${e.message} ${String((e as { cause?: unknown }).cause ?? '')}` : String(e)}`);
        continue;
      }
      if (answer.status >= 500) crashes.push(`${c.family}: ${c.name}: ${answer.status} ${JSON.stringify(answer.json)}`);
      const problem = check(c, answer);
      if (problem) mismatches.push(`${c.family}: ${c.name}: ${problem}`);
      else if (c.gap) gaps.push(c);
    }

    const raw = rawCases();
    for (const c of raw) {
      const r = await rawExchange(server.local.port, c);
      if (r.error) crashes.push(`raw: ${c.name}: ${r.error}`);
      else if (c.expectStatus !== undefined && r.status !== c.expectStatus) mismatches.push(`raw: ${c.name}: status ${r.status} (expected ${c.expectStatus})`);
      else if (r.status !== undefined && r.status >= 500) crashes.push(`raw: ${c.name}: ${r.status}`);
      // After each, the server still serves a request.
      const alive = await send(server.endpoint, { family: 'probe', name: 'alive', target: 'AWSStepFunctions.ListStateMachines', body: '{}', expect: { status: 200 } });
      if (alive.status !== 200) crashes.push(`raw: ${c.name}: the server stopped answering (${alive.status})`);
    }
    await new Promise((r) => setTimeout(r, 50));

    // Side effects: machines, executions, task invocations, tags, prototype pollution.
    const machines = (await server.client.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
    const executions = (await send(server.endpoint, { family: 'probe', name: 'executions', target: 'AWSStepFunctions.ListExecutions', body: JSON.stringify({ stateMachineArn: GOOD }), expect: { status: 200 } })).json.executions as { name: string }[];
    const tags = (await send(server.endpoint, { family: 'probe', name: 'tags', target: 'AWSStepFunctions.ListTagsForResource', body: JSON.stringify({ resourceArn: GOOD }), expect: { status: 200 } })).json.tags as unknown[];
    const good = (await send(server.endpoint, { family: 'probe', name: 'good', target: 'AWSStepFunctions.DescribeStateMachine', body: JSON.stringify({ stateMachineArn: GOOD }), expect: { status: 200 } })).json;
    const gapMachines = gaps.filter((g) => g.gap!.creates === 'stateMachine').length;
    const gapExecutions = gaps.filter((g) => g.gap!.creates === 'execution').length;
    const polluted = ['stateMachineArn', 'executionArn', 'resourceArn', 'name'].filter((k) => k in {});
    const sideEffects =
      machines.length - 1 - gapMachines +
      (executions.length - gapExecutions) +
      Math.max(0, invocations.length - gapExecutions) +
      tags.length +
      (good.definition === definitions.task('fn') && good.revisionId === undefined ? 0 : 1) +
      polluted.length;

    const total = cases.length + raw.length;
    console.log(
      `Step Functions API: ${total} malformed requests tried (${[...families].map(([f, n]) => `${f} ${n}`).join(', ')}, raw socket ${raw.length}), ` +
        `${total - mismatches.length - crashes.length} answered as expected, ${crashes.length} crashes, ${sideEffects} side effects, ` +
        `${internalErrors.length} internal errors; known gaps: ${gaps.length} requests with invalid UTF-8 accepted (${gapMachines} state machines, ${gapExecutions} executions)`,
    );
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(crashes).toEqual([]);
    expect(mismatches).toEqual([]);
    expect(internalErrors).toEqual([]);
    expect(sideEffects).toBe(0);
    // The gaps are exactly the cases marked as such: when one is fixed, this fails (remove its `gap`).
    expect(gaps.length).toBe(cases.filter((c) => c.gap).length);
    // And the server still answers the SDK.
    await expect(server.client.send(new ListStateMachinesCommand({ maxResults: 1 }))).resolves.toMatchObject({ stateMachines: [expect.objectContaining({ name: 'good' })] });
  });

  it('a deeply nested execution input is refused and does not bring the server down', async () => {
    // 6000 levels of `[` are 12 KB, far under 256 KB: refused as InvalidExecutionInput (deeper
    // than 256 levels) instead of running and overflowing the stack when its output is serialized.
    const depth = 6_000;
    const started = await send(server.endpoint, {
      family: 'deep',
      name: 'deep',
      target: 'AWSStepFunctions.StartExecution',
      body: JSON.stringify({ stateMachineArn: GOOD, input: '['.repeat(depth) + ']'.repeat(depth) }),
      expect: { status: 400 },
    });
    expect(started.status).toBe(400);
    expect(started.json).toMatchObject({ __type: 'com.amazonaws.sfn#InvalidExecutionInput' });
    await new Promise((r) => setTimeout(r, 100));
    expect(internalErrors).toEqual([]);
    expect((await server.client.send(new ListStateMachinesCommand({}))).stateMachines).toBeDefined();
  });
});
