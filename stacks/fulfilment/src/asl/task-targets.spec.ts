import type { StateMachineDefinition } from '@saga/asl';
import { describe, expect, it } from 'vitest';
import { collectTaskTargets } from './task-targets.js';

const task = (Resource: string, Parameters: Record<string, unknown>) => ({ Type: 'Task', Resource, Parameters, End: true });

describe('collectTaskTargets', () => {
  it('reads every target, Parallel branches included, with the DynamoDB item actions per table', () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: task('arn:aws:states:::lambda:invoke', { FunctionName: 'fn-a' }),
        B: task('arn:aws:states:::sqs:sendMessage.waitForTaskToken', { QueueUrl: 'q' }),
        C: task('arn:aws:states:::sns:publish', { TopicArn: 't' }),
        D: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'E',
              States: {
                E: task('arn:aws:states:::dynamodb:updateItem', { TableName: 'orders' }),
                F: task('arn:aws:states:::dynamodb:getItem', { TableName: 'orders' }),
                G: task('arn:aws:states:::dynamodb:putItem', { TableName: 'receipts' }),
                H: task('arn:aws:states:::dynamodb:getItem', { TableName: 'orders' }),
              },
            },
          ],
        },
      },
    } as unknown as StateMachineDefinition;
    const targets = collectTaskTargets(definition);
    expect(targets).toMatchObject({ lambdaFunctions: ['fn-a'], queueUrls: ['q'], topicArns: ['t'], unsupported: [] });
    expect(Object.fromEntries(targets.dynamoDbTables)).toEqual({
      orders: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      receipts: ['dynamodb:PutItem'],
    });
  });

  it('refuses what it cannot derive IAM for: a table given by a path, an unknown action', () => {
    const definition = {
      StartAt: 'A',
      States: {
        A: task('arn:aws:states:::dynamodb:getItem', { 'TableName.$': '$.table' }),
        B: task('arn:aws:states:::dynamodb:query', { TableName: 'orders' }),
      },
    } as unknown as StateMachineDefinition;
    const targets = collectTaskTargets(definition);
    expect(targets.unsupported).toEqual([
      { state: 'A', resource: 'arn:aws:states:::dynamodb:getItem' },
      { state: 'B', resource: 'arn:aws:states:::dynamodb:query' },
    ]);
    expect(targets.dynamoDbTables.size).toBe(0);
  });
});
