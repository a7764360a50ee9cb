import { describe, expect, it } from 'vitest';
import { expressIncompatibility, parseResource } from './resource.js';

describe('parseResource', () => {
  it.each([
    ['arn:aws:states:::lambda:invoke', { kind: 'integration' }],
    ['arn:aws:states:::lambda:invoke.waitForTaskToken', { kind: 'integration', pattern: '.waitForTaskToken' }],
    ['arn:aws:states:::states:startExecution.sync:2', { kind: 'integration', pattern: '.sync:2' }],
    ['arn:aws:states:::states:startExecution.sync', { kind: 'integration', pattern: '.sync' }],
    ['arn:aws:states:::batch:submitJob.sync', { kind: 'integration', pattern: '.sync' }],
    ['arn:aws:states:::dynamodb:putItem', { kind: 'integration' }],
    ['arn:aws:states:::http:invoke', { kind: 'integration' }],
    ['arn:aws-us-gov:states:::sqs:sendMessage', { kind: 'integration' }],
    ['arn:aws:states:::aws-sdk:s3:getObject', { kind: 'sdk' }],
    ['arn:aws:states:::aws-sdk:sfn:sendTaskSuccess.waitForTaskToken', { kind: 'sdk', pattern: '.waitForTaskToken' }],
    ['arn:aws:lambda:eu-west-1:123456789012:function:ship', { kind: 'lambda' }],
    ['arn:aws:lambda:eu-west-1:123456789012:function:ship:$LATEST', { kind: 'lambda' }],
    ['arn:aws:lambda:eu-west-1:123456789012:function:ship:live', { kind: 'lambda' }],
    ['arn:aws:states:eu-west-1:123456789012:activity:pack', { kind: 'activity' }],
    ['${aws_lambda_function.ship.arn}', { kind: 'token' }],
    ['arn:aws:lambda:${var.region}:${local.account}:function:${var.name}', { kind: 'lambda' }],
    ['arn:${data.aws_partition.current.partition}:states:::lambda:invoke', { kind: 'integration' }],
  ])('%s', (resource, info) => {
    expect(parseResource(resource)).toEqual(info);
  });

  it.each([
    'arn:aws:states:::dynamodb:query',
    'arn:aws:states:::lambda:invoke.sync',
    'arn:aws:states:::dynamodb:getItem.waitForTaskToken',
    'arn:aws:states:::aws-sdk:s3:getObject.sync',
    'arn:aws:states:::aws-sdk:s3',
    'arn:aws:states:::lambda',
    'arn:aws:lambda:eu-west-1:123:function:ship',
    'arn:aws:states:eu-west-1:123456789012:stateMachine:x',
    'ship-function',
    '',
  ])('%s is not recognised', (resource) => {
    expect(parseResource(resource)).toBeUndefined();
  });
});

describe('expressIncompatibility', () => {
  it('rejects run-a-job, callbacks and activities only', () => {
    expect(expressIncompatibility({ kind: 'integration', pattern: '.sync:2' })).toBe("Express state machine does not support '.sync' service integration");
    expect(expressIncompatibility({ kind: 'sdk', pattern: '.waitForTaskToken' })).toBe(
      "Express state machine does not support '.waitForTaskToken' service integration",
    );
    expect(expressIncompatibility({ kind: 'activity' })).toBe('Express state machine does not support Activity ARN');
    expect(expressIncompatibility({ kind: 'integration' })).toBeUndefined();
    expect(expressIncompatibility({ kind: 'lambda' })).toBeUndefined();
  });
});
