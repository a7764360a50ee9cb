import { describe, expect, it } from 'vitest';
import type { JsonValue } from '@saga/asl';
import { StatesError } from '../../src/errors.js';
import { awsSdkErrorPrefix, createAwsSdkResolver } from '../../src/integrations/aws-sdk.js';
import { createBedrockResolver } from '../../src/integrations/bedrock.js';
import * as integrations from '../../src/integrations/index.js';
import { createLambdaRegistry, createLambdaResolver } from '../../src/integrations/lambda.js';
import { createMockResolver, parseMockConfig } from '../../src/integrations/mock-config.js';
import { chainResolvers, unknownResourceResolver } from '../../src/integrations/resolvers.js';
import type { TaskResolver } from '../../src/integrations/types.js';
import { answer, invocation, rejection } from './support.js';

const INVOKE = 'arn:aws:states:::lambda:invoke';

describe('chainResolvers', () => {
  it('the first resolver that handles an invocation answers it; the mock falls through to the next', async () => {
    const registry = createLambdaRegistry().register('F', () => 'real');
    const mock = createMockResolver(
      parseMockConfig({
        StateMachines: { M: { TestCases: { T: { Mocked: 'R' } } } },
        MockedResponses: { R: { '0': { Return: 'mocked' } } },
      }),
      { stateMachineName: 'M', testCase: 'T' },
    );
    const resolve = chainResolvers(mock, createLambdaResolver(registry), unknownResourceResolver);
    expect(await answer(resolve(invocation(INVOKE, { FunctionName: 'F' }, { stateName: 'Mocked' })))).toBe('mocked');
    expect(((await answer(resolve(invocation(INVOKE, { FunctionName: 'F' }, { stateName: 'Real' })))) as any).Payload).toBe('real');
  });

  it('returns undefined when no resolver handles the invocation', () => {
    expect(chainResolvers()(invocation(INVOKE, {}))).toBeUndefined();
    expect(chainResolvers(undefined, () => undefined)(invocation(INVOKE, {}))).toBeUndefined();
  });

  it('a resolver that throws synchronously answers with a rejection', async () => {
    const throwing: TaskResolver = () => {
      throw new StatesError('Boom');
    };
    const e = (await rejection(chainResolvers(throwing)(invocation(INVOKE, {})))) as StatesError;
    expect(e.name).toBe('Boom');
  });
});

describe('unknownResourceResolver', () => {
  it('fails loudly with States.Runtime naming the resource and what to do', async () => {
    const e = (await rejection(
      unknownResourceResolver(invocation('arn:aws:states:::glue:startJobRun.sync', {}, { stateName: 'RunJob' })),
    )) as StatesError;
    expect(e.name).toBe('States.Runtime');
    expect(e.catchable).toBe(false);
    expect(e.cause).toContain("An error occurred while executing the state 'RunJob'");
    expect(e.cause).toContain("No integration handles the resource 'arn:aws:states:::glue:startJobRun.sync' (glue:startJobRun.sync)");
  });

  it('hints at registering an unknown Lambda function', async () => {
    const e = (await rejection(
      unknownResourceResolver(invocation('arn:aws:lambda:eu-west-1:123456789012:function:Ship', {})),
    )) as StatesError;
    expect(e.cause).toContain("Register the function 'Ship'");
  });
});

describe('bedrock:invokeModel', () => {
  const RESOURCE = 'arn:aws:states:::bedrock:invokeModel';

  it('the callback answers with the model body; the result is {Body, ContentType}', async () => {
    const calls: JsonValue[] = [];
    const resolve = createBedrockResolver((params) => {
      calls.push(params as JsonValue);
      return { content: [{ type: 'text', text: 'RATE_LIMITED' }] };
    });
    const params = { ModelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0', Body: { messages: [] } };
    expect(await answer(resolve(invocation(RESOURCE, params)))).toEqual({
      Body: { content: [{ type: 'text', text: 'RATE_LIMITED' }] },
      ContentType: 'application/json',
    });
    expect(calls).toEqual([params]);
  });

  it('a thrown ThrottlingException fails the task with Bedrock.ThrottlingException', async () => {
    const resolve = createBedrockResolver(() => {
      throw Object.assign(new Error('Too many requests'), { name: 'ThrottlingException' });
    });
    const e = (await rejection(resolve(invocation(RESOURCE, { ModelId: 'm', Body: {} })))) as StatesError;
    expect(e.toErrorOutput()).toEqual({ Error: 'Bedrock.ThrottlingException', Cause: 'Too many requests' });
  });

  it('ModelId is required and Body/Input are exclusive (States.Runtime)', async () => {
    const resolve = createBedrockResolver(() => ({}));
    expect(((await rejection(resolve(invocation(RESOURCE, { Body: {} })))) as StatesError).name).toBe('States.Runtime');
    const both = (await rejection(resolve(invocation(RESOURCE, { ModelId: 'm', Body: {}, Input: { S3Uri: 's3://b/k' } })))) as StatesError;
    expect(both.cause).toContain("Only one of the fields 'Body' and 'Input' may be given");
    expect(resolve(invocation('arn:aws:states:::bedrock:createModelCustomizationJob.sync', {}))).toBeUndefined();
  });
});

describe('aws-sdk integrations', () => {
  it('handlers answer by service:action (or service:*); others fall through', async () => {
    const resolve = createAwsSdkResolver({
      's3:getObject': (params) => ({ Body: `contents of ${(params as { Key: string }).Key}` }),
      'ssm:*': (_params, inv) => ({ action: (inv.parsed as { action: string }).action }),
    });
    expect(await answer(resolve(invocation('arn:aws:states:::aws-sdk:s3:getObject', { Bucket: 'b', Key: 'k' })))).toEqual({
      Body: 'contents of k',
    });
    expect(await answer(resolve(invocation('arn:aws:states:::aws-sdk:ssm:getParameter', {})))).toEqual({ action: 'getParameter' });
    expect(resolve(invocation('arn:aws:states:::aws-sdk:s3:putObject', {}))).toBeUndefined();
    expect(resolve(invocation('arn:aws:states:::s3:getObject', {}))).toBeUndefined();
  });

  it('thrown errors become <ServicePascal>.<Name>Exception', async () => {
    const resolve = createAwsSdkResolver({
      's3:getObject': () => {
        throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
      },
      'dynamodb:getItem': () => {
        throw new Error('generic');
      },
      'sfn:sendTaskSuccess': () => {
        throw new StatesError('Sfn.InvalidTokenException', 'Invalid Token');
      },
    });
    const s3 = (await rejection(resolve(invocation('arn:aws:states:::aws-sdk:s3:getObject', {})))) as StatesError;
    expect(s3.toErrorOutput()).toEqual({ Error: 'S3.NoSuchKeyException', Cause: 'The specified key does not exist.' });
    const ddb = (await rejection(resolve(invocation('arn:aws:states:::aws-sdk:dynamodb:getItem', {})))) as StatesError;
    expect(ddb.name).toBe('DynamoDb.DynamoDbException');
    const sfn = (await rejection(resolve(invocation('arn:aws:states:::aws-sdk:sfn:sendTaskSuccess', {})))) as StatesError;
    expect(sfn.name).toBe('Sfn.InvalidTokenException');
    expect(awsSdkErrorPrefix('acmpca')).toBe('AcmPca');
    expect(awsSdkErrorPrefix('newservice')).toBe('Newservice');
  });
});

describe('index', () => {
  it('re-exports the public API', () => {
    for (const name of [
      'parseResource',
      'chainResolvers',
      'unknownResourceResolver',
      'createLambdaRegistry',
      'createLambdaResolver',
      'createOutboxes',
      'createSqsResolver',
      'createSnsResolver',
      'createEventBridgeResolver',
      'createDynamoDbResolver',
      'createBedrockResolver',
      'createAwsSdkResolver',
      'parseMockConfig',
      'createMockResolver',
      'MockConfigError',
    ]) {
      expect(typeof (integrations as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
