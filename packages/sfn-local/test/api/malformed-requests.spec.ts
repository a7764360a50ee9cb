import { ListStateMachinesCommand } from '@aws-sdk/client-sfn';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rawCall, ROLE_ARN, startServer, definitions, type TestServer } from './support.js';


let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  // Whatever was thrown at it, the server still answers the SDK.
  await expect(server.client.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: expect.any(Array) });
  await server.close();
});

function expectAwsError(res: { status: number; json: any; headers: Headers }, name: string, status = 400): void {
  expect(res.status).toBe(status);
  expect(res.json.__type).toBe(`com.amazonaws.sfn#${name}`);
  expect(typeof res.json.message).toBe('string');
  expect(res.headers.get('x-amzn-errortype')).toBe(name);
  expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.0');
  expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
}

describe('malformed requests get AWS errors and the server stays up', () => {
  it('bad JSON → SerializationException', async () => {
    expectAwsError(await rawCall(server.endpoint, 'AWSStepFunctions.ListStateMachines', '{"maxResults":'), 'SerializationException');
    expectAwsError(await rawCall(server.endpoint, 'AWSStepFunctions.ListStateMachines', '[1,2]'), 'SerializationException');
    expectAwsError(await rawCall(server.endpoint, 'AWSStepFunctions.ListStateMachines', 'null'), 'SerializationException');
  });

  it('unknown or missing target → UnknownOperationException', async () => {
    expectAwsError(await rawCall(server.endpoint, 'AWSStepFunctions.LaunchRocket', '{}'), 'UnknownOperationException');
    expectAwsError(await rawCall(server.endpoint, 'AmazonSQS.SendMessage', '{}'), 'UnknownOperationException');
    expectAwsError(await rawCall(server.endpoint, undefined, '{}'), 'UnknownOperationException');
    expectAwsError(await rawCall(server.endpoint, 'AWSStepFunctions.toString', '{}'), 'UnknownOperationException');
    const unsupported = await rawCall(server.endpoint, 'AWSStepFunctions.CreateActivity', '{"name":"a"}');
    expectAwsError(unsupported, 'UnknownOperationException');
    expect(unsupported.json.message).toBe('Operation not supported by sfn-local: CreateActivity');
  });

  it('an empty body is an empty input', async () => {
    const res = await rawCall(server.endpoint, 'AWSStepFunctions.ListStateMachines', '');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stateMachines: [] });
  });

  it('missing required members → ValidationException listing each, in AWS wording', async () => {
    const one = await rawCall(server.endpoint, 'AWSStepFunctions.DescribeStateMachine', '{}');
    expectAwsError(one, 'ValidationException');
    expect(one.json.message).toBe(
      "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null",
    );
    const three = await rawCall(server.endpoint, 'AWSStepFunctions.CreateStateMachine', '{"name":"x"}');
    expectAwsError(three, 'ValidationException');
    expect(three.json.message).toBe(
      "2 validation errors detected: Value null at 'definition' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'roleArn' failed to satisfy constraint: Member must not be null",
    );
  });

  it('wrong member types and nested violations → ValidationException with the member path', async () => {
    const wrongType = await rawCall(server.endpoint, 'AWSStepFunctions.ListStateMachines', '{"maxResults":"ten"}');
    expectAwsError(wrongType, 'ValidationException');
    expect(wrongType.json.message).toBe(
      "1 validation error detected: Value 'ten' at 'maxResults' failed to satisfy constraint: Member must be of type integer",
    );
    const nested = await rawCall(
      server.endpoint,
      'AWSStepFunctions.CreateStateMachine',
      JSON.stringify({ name: 'x', definition: definitions.pass, roleArn: ROLE_ARN, loggingConfiguration: { level: 'LOUD' } }),
    );
    expectAwsError(nested, 'ValidationException');
    expect(nested.json.message).toBe(
      "1 validation error detected: Value 'LOUD' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]",
    );
    const emptyArn = await rawCall(server.endpoint, 'AWSStepFunctions.DescribeExecution', '{"executionArn":""}');
    expect(emptyArn.json.message).toBe(
      "1 validation error detected: Value '' at 'executionArn' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('an invalid ARN → InvalidArn', async () => {
    const res = await rawCall(server.endpoint, 'AWSStepFunctions.DescribeExecution', '{"executionArn":"arn:aws:sqs:us-east-1:1:q"}');
    expectAwsError(res, 'InvalidArn');
    expect(res.json.message).toBe("Invalid Arn: 'Invalid ARN prefix: arn:aws:sqs:us-east-1:1:q'");
  });

  it('an oversized body → 413 ValidationException, answered after the body is drained', async () => {
    const huge = JSON.stringify({ definition: 'x'.repeat(4 * 1024 * 1024) });
    const res = await rawCall(server.endpoint, 'AWSStepFunctions.ValidateStateMachineDefinition', huge);
    expectAwsError(res, 'ValidationException', 413);
  });

  it('a definition over 1048576 characters → ValidationException without echoing the value', async () => {
    const res = await rawCall(
      server.endpoint,
      'AWSStepFunctions.ValidateStateMachineDefinition',
      JSON.stringify({ definition: 'x'.repeat(1_048_577) }),
    );
    expectAwsError(res, 'ValidationException');
    expect(res.json.message).toBe(
      "1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    );
  });

  it('other methods → an error; GET /health → ok', async () => {
    const put = await fetch(server.endpoint + '/', { method: 'PUT', body: '{}' });
    expect(put.status).toBe(405);
    expect(((await put.json()) as { __type: string }).__type).toBe('com.amazonaws.sfn#UnknownOperationException');
    const health = await fetch(server.endpoint + '/health');
    expect(await health.json()).toEqual({ status: 'ok', service: 'sfn-local' });
  });

  it('a client that hangs up mid-request does not disturb the server', async () => {
    const url = new URL(server.endpoint);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(
          'POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\nContent-Length: 100\r\n\r\n{"max',
        );
        socket.destroy();
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 20));
  });

  it('an unexpected failure inside an operation → 500 InternalFailure', async () => {
    const errors: unknown[] = [];
    const local = server.local;
    const original = local.service.listStateMachines.bind(local.service);
    local.service.listStateMachines = () => {
      throw new TypeError('bug');
    };
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args));
    try {
      const res = await rawCall(server.endpoint, 'AWSStepFunctions.ListStateMachines', '{}');
      expectAwsError(res, 'InternalFailure', 500);
      expect(errors).toHaveLength(1);
    } finally {
      spy.mockRestore();
      local.service.listStateMachines = original;
    }
  });
});
