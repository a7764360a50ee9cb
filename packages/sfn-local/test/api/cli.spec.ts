import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
} from '@aws-sdk/client-sfn';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HELP, main, parseCliArgs } from '../../src/cli.js';
import { eventually, ROLE_ARN, sfnClient, tempDir } from './support.js';

function capture() {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } },
    out: () => out,
    err: () => err,
  };
}

/** Runs the CLI until the returned `stop()`; resolves its endpoint once it listens. */
async function run(argv: string[]) {
  const c = capture();
  const abort = new AbortController();
  const exit = main(argv, c.io, { signal: abort.signal });
  const endpoint = await eventually(() => /listening on (http:\/\/\S+)/.exec(c.out())?.[1]);
  const client = sfnClient(endpoint);
  return {
    endpoint,
    client,
    output: c.out,
    async stop() {
      client.destroy();
      abort.abort();
      return exit;
    },
  };
}

let data: ReturnType<typeof tempDir>;
beforeEach(() => {
  data = tempDir();
});
afterEach(() => {
  data.remove();
});

describe('sfn-local CLI arguments', () => {
  it('has defaults and reads every option, with or without =', () => {
    expect(parseCliArgs([])).toMatchObject({ port: 8083, host: '127.0.0.1', time: 'virtual', seed: 0, fsync: false, help: false });
    expect(
      parseCliArgs([
        '--port=0',
        '--host',
        '0.0.0.0',
        '--time',
        'real',
        '--seed',
        '42',
        '--data-dir',
        'd',
        '--mock-config',
        'm.json',
        '--mock-test-case',
        'Happy',
        '--handlers',
        'h',
        '--dynamodb-endpoint',
        'http://127.0.0.1:8000',
        '--fsync',
      ]),
    ).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      time: 'real',
      seed: 42,
      dataDir: 'd',
      mockConfig: 'm.json',
      mockTestCase: 'Happy',
      handlers: 'h',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      fsync: true,
    });
  });

  it('refuses unknown options and bad values with a usage error (exit 2)', async () => {
    expect(() => parseCliArgs(['--port', 'x'])).toThrow(/--port must be an integer/);
    expect(() => parseCliArgs(['--time', 'fast'])).toThrow(/--time must be virtual or real/);
    expect(() => parseCliArgs(['--mock-test-case', 'A'])).toThrow(/needs --mock-config/);
    expect(() => parseCliArgs(['--data-dir'])).toThrow(/needs a value/);
    expect(() => parseCliArgs(['--dynamodb-endpoint', 'localhost:8000'])).toThrow(/--dynamodb-endpoint must be an http\(s\) URL/);
    const c = capture();
    expect(await main(['--nope'], c.io)).toBe(2);
    expect(c.err()).toContain("unknown option '--nope'");
  });

  it('prints help', async () => {
    const c = capture();
    expect(await main(['--help'], c.io)).toBe(0);
    expect(c.out()).toBe(HELP);
  });
});

describe('sfn-local CLI server', () => {
  it('serves Lambda functions from a handlers folder and stops cleanly on a signal', async () => {
    const handlersDir = path.join(data.dir, 'handlers');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(handlersDir);
    writeFileSync(path.join(handlersDir, 'double.mjs'), 'export const handler = async (event) => ({ value: event.value * 2 });\n');
    const cli = await run(['--port', '0', '--handlers', handlersDir]);
    expect(cli.output()).toContain('lambda functions: double');
    const { stateMachineArn } = await cli.client.send(
      new CreateStateMachineCommand({
        name: 'doubler',
        type: 'EXPRESS',
        roleArn: ROLE_ARN,
        definition: JSON.stringify({
          StartAt: 'D',
          States: { D: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'double', 'Payload.$': '$' }, OutputPath: '$.Payload', End: true } },
        }),
      }),
    );
    const out = await cli.client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"value":4}' }));
    expect(out).toMatchObject({ status: 'SUCCEEDED', output: '{"value":8}' });
    expect(await cli.stop()).toBe(0);
    expect(cli.output()).toContain('sfn-local: stopping');
    await expect(fetch(cli.endpoint + '/health')).rejects.toThrow();
  });

  it('serves dynamodb:* Tasks against --dynamodb-endpoint (dynalite), and stops its client on close', async () => {
    const server = dynalite({ createTableMs: 0 });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const dynamodb = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: 'Orders',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      const cli = await run(['--port', '0', '--dynamodb-endpoint', endpoint]);
      expect(cli.output()).toContain(`dynamodb: ${endpoint}`);
      const { stateMachineArn } = await cli.client.send(
        new CreateStateMachineCommand({
          name: 'recorder',
          type: 'EXPRESS',
          roleArn: ROLE_ARN,
          definition: JSON.stringify({
            StartAt: 'Put',
            States: {
              Put: {
                Type: 'Task',
                Resource: 'arn:aws:states:::dynamodb:putItem',
                Parameters: { TableName: 'Orders', Item: { pk: { 'S.$': '$.id' } }, ConditionExpression: 'attribute_not_exists(pk)' },
                ResultPath: null,
                Next: 'Get',
              },
              Get: {
                Type: 'Task',
                Resource: 'arn:aws:states:::dynamodb:getItem',
                Parameters: { TableName: 'Orders', Key: { pk: { 'S.$': '$.id' } } },
                OutputPath: '$.Item',
                End: true,
              },
            },
          }),
        }),
      );
      const first = await cli.client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"id":"ord-1"}' }));
      expect(first).toMatchObject({ status: 'SUCCEEDED', output: '{"pk":{"S":"ord-1"}}' });
      const again = await cli.client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{"id":"ord-1"}' }));
      expect(again).toMatchObject({ status: 'FAILED', error: 'DynamoDB.ConditionalCheckFailedException' });
      expect(await cli.stop()).toBe(0);
    } finally {
      dynamodb.destroy();
      await new Promise<void>((done) => server.close(() => done()));
    }
  });

  it('answers Task states from a mock config test case (flag or <arn>#<TestCase>)', async () => {
    const mockFile = path.join(data.dir, 'MockConfigFile.json');
    writeFileSync(
      mockFile,
      JSON.stringify({
        StateMachines: { Ship: { TestCases: { Happy: { Book: 'Booked' }, Sad: { Book: 'Refused' } } } },
        MockedResponses: {
          Booked: { '0': { Return: { carrier: 'DHL' } } },
          Refused: { '0': { Throw: { Error: 'Carrier.Refused', Cause: 'no slot' } } },
        },
      }),
    );
    const cli = await run(['--port', '0', '--mock-config', mockFile, '--mock-test-case', 'Happy']);
    const { stateMachineArn } = await cli.client.send(
      new CreateStateMachineCommand({
        name: 'Ship',
        roleArn: ROLE_ARN,
        definition: JSON.stringify({
          StartAt: 'Book',
          States: { Book: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'book' }, End: true } },
        }),
      }),
    );
    const happy = await cli.client.send(new StartExecutionCommand({ stateMachineArn, name: 'happy' }));
    const sad = await cli.client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#Sad`, name: 'sad' }));
    const settled = (executionArn: string) =>
      eventually(async () => {
        const d = await cli.client.send(new DescribeExecutionCommand({ executionArn }));
        return d.status !== 'RUNNING' && d;
      });
    expect(await settled(happy.executionArn!)).toMatchObject({ status: 'SUCCEEDED', output: '{"carrier":"DHL"}' });
    expect(await settled(sad.executionArn!)).toMatchObject({ status: 'FAILED', error: 'Carrier.Refused', cause: 'no slot' });
    expect(await cli.stop()).toBe(0);
  });

  it('persists executions and outbox messages in the data folder across runs', async () => {
    const first = await run(['--port', '0', '--data-dir', data.dir]);
    const { stateMachineArn } = await first.client.send(
      new CreateStateMachineCommand({
        name: 'notify',
        roleArn: ROLE_ARN,
        definition: JSON.stringify({
          StartAt: 'Send',
          States: {
            Send: {
              Type: 'Task',
              Resource: 'arn:aws:states:::sqs:sendMessage',
              Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/notices', MessageBody: 'hello' },
              End: true,
            },
          },
        }),
      }),
    );
    const { executionArn } = await first.client.send(new StartExecutionCommand({ stateMachineArn, name: 'n1' }));
    await eventually(async () => {
      const d = await first.client.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === 'SUCCEEDED';
    });
    expect(await first.stop()).toBe(0);
    const journal = readFileSync(path.join(data.dir, 'journal.jsonl'), 'utf8');
    expect(journal).toContain('"kind":"outbox"');

    const second = await run(['--port', '0', '--data-dir', data.dir]);
    const listed = await second.client.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(listed.executions!.map((x) => [x.name, x.status])).toEqual([['n1', 'SUCCEEDED']]);
    expect(await second.stop()).toBe(0);
  });

  it('exits 1 when the port is taken', async () => {
    const cli = await run(['--port', '0']);
    const port = new URL(cli.endpoint).port;
    const c = capture();
    expect(await main(['--port', port], c.io)).toBe(1);
    expect(c.err()).toContain('EADDRINUSE');
    await cli.stop();
  });
});
