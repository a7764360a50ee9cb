import { describe, expect, it } from 'vitest';
import { describeResource, parseResource } from '../../src/integrations/resource.js';

describe('parseResource', () => {
  it('optimized integrations: service, action and request-response pattern', () => {
    expect(parseResource('arn:aws:states:::lambda:invoke')).toEqual({
      kind: 'integration',
      service: 'lambda',
      action: 'invoke',
      pattern: 'requestResponse',
    });
    expect(parseResource('arn:aws:states:::dynamodb:updateItem')).toMatchObject({ service: 'dynamodb', action: 'updateItem' });
  });

  it('optimized integrations: .sync, .sync:2 and .waitForTaskToken suffixes', () => {
    expect(parseResource('arn:aws:states:::states:startExecution.sync')).toMatchObject({ action: 'startExecution', pattern: 'sync' });
    expect(parseResource('arn:aws:states:::states:startExecution.sync:2')).toMatchObject({ pattern: 'sync:2' });
    expect(parseResource('arn:aws:states:::sqs:sendMessage.waitForTaskToken')).toMatchObject({
      kind: 'integration',
      service: 'sqs',
      action: 'sendMessage',
      pattern: 'waitForTaskToken',
    });
  });

  it('other partitions are accepted', () => {
    expect(parseResource('arn:aws-cn:states:::sns:publish')).toMatchObject({ kind: 'integration', service: 'sns' });
    expect(parseResource('arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:f')).toMatchObject({ kind: 'lambda-function' });
  });

  it('aws-sdk integrations, with optional .waitForTaskToken', () => {
    expect(parseResource('arn:aws:states:::aws-sdk:s3:getObject')).toEqual({
      kind: 'aws-sdk',
      service: 's3',
      action: 'getObject',
      pattern: 'requestResponse',
    });
    expect(parseResource('arn:aws:states:::aws-sdk:sfn:sendTaskSuccess.waitForTaskToken')).toMatchObject({
      kind: 'aws-sdk',
      service: 'sfn',
      pattern: 'waitForTaskToken',
    });
  });

  it('aws-sdk integrations have no .sync: unknown', () => {
    expect(parseResource('arn:aws:states:::aws-sdk:s3:getObject.sync')).toEqual({ kind: 'unknown' });
  });

  it('Lambda function ARNs, with and without qualifier', () => {
    expect(parseResource('arn:aws:lambda:eu-west-1:123456789012:function:ChargePayment')).toEqual({
      kind: 'lambda-function',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:ChargePayment',
      functionName: 'ChargePayment',
    });
    expect(parseResource('arn:aws:lambda:eu-west-1:123456789012:function:ChargePayment:live')).toMatchObject({
      functionName: 'ChargePayment',
      functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:ChargePayment:live',
    });
    expect(parseResource('arn:aws:lambda:eu-west-1:123456789012:function:f:$LATEST')).toMatchObject({ functionName: 'f' });
  });

  it('activity ARNs', () => {
    expect(parseResource('arn:aws:states:eu-west-1:123456789012:activity:review')).toEqual({
      kind: 'activity',
      activityArn: 'arn:aws:states:eu-west-1:123456789012:activity:review',
    });
  });

  it('bare function names and malformed ARNs are unknown', () => {
    for (const r of [
      'ChargePayment',
      'arn:aws:states:::lambda',
      'arn:aws:states:::lambda:invoke.async',
      'arn:aws:states:eu-west-1::lambda:invoke',
      'arn:aws:lambda:eu-west-1:1234:function:f',
      'arn:aws:states:eu-west-1:123456789012:stateMachine:m',
      '',
    ]) {
      expect(parseResource(r), r).toEqual({ kind: 'unknown' });
    }
  });

  it('results are cached (the same frozen object)', () => {
    const a = parseResource('arn:aws:states:::events:putEvents');
    expect(parseResource('arn:aws:states:::events:putEvents')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('describeResource names the API and pattern', () => {
    const r = 'arn:aws:states:::sqs:sendMessage.waitForTaskToken';
    expect(describeResource(parseResource(r), r)).toBe('sqs:sendMessage.waitForTaskToken');
    const s = 'arn:aws:states:::aws-sdk:s3:getObject';
    expect(describeResource(parseResource(s), s)).toBe('aws-sdk:s3:getObject');
  });
});
