import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { orderRecordKey, readPaymentRecord, recordCompensation, recordPaymentIntent, updatePaymentStatus } from './order-record.js';

const ddbMock = mockClient(DynamoDBClient);
const dynamodb = new DynamoDBClient({ region: 'eu-west-1' });
const TABLE = 'saga-orders';
const KEY = { pk: { S: 'ORDER#ord-1' }, sk: { S: 'ORDER' } };
const NOW = new Date('2026-11-22T10:00:00.000Z');

afterEach(() => ddbMock.reset());

const conditionFailed = (Item?: Record<string, { S: string }>) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(Item ? { Item } : {}) });

describe('readPaymentRecord', () => {
  it('reads the order record consistently and maps its payment attributes', async () => {
    ddbMock.on(GetItemCommand).resolves({
      Item: {
        ...KEY,
        orderId: { S: 'ord-1' },
        paymentIntentId: { S: 'pi_1' },
        paymentStatus: { S: 'refunded' },
        amount: { N: '2999' },
        currency: { S: 'eur' },
        refundId: { S: 're_1' },
        updatedAt: { S: NOW.toISOString() },
        unrelated: { S: 'ignored' },
      },
    });
    expect(await readPaymentRecord(dynamodb, TABLE, 'ord-1')).toEqual({
      orderId: 'ord-1',
      paymentIntentId: 'pi_1',
      paymentStatus: 'refunded',
      amount: 2999,
      currency: 'eur',
      refundId: 're_1',
      updatedAt: NOW.toISOString(),
    });
    expect(ddbMock.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({ TableName: TABLE, Key: KEY, ConsistentRead: true });
  });

  it('gives undefined without an item, and only the attributes present with one', async () => {
    ddbMock.on(GetItemCommand).resolvesOnce({}).resolvesOnce({ Item: { ...KEY, orderId: { S: 'ord-1' } } });
    expect(await readPaymentRecord(dynamodb, TABLE, 'ord-1')).toBeUndefined();
    expect(await readPaymentRecord(dynamodb, TABLE, 'ord-1')).toEqual({ orderId: 'ord-1' });
  });

  it('keys the record ORDER#<orderId> / ORDER', () => {
    expect(orderRecordKey('ord-1')).toEqual(KEY);
  });
});

describe('recordPaymentIntent', () => {
  const args = { orderId: 'ord-1', paymentIntentId: 'pi_1', amount: 2999, currency: 'eur', status: 'authorised' as const, now: NOW };

  it('writes the PaymentIntent only where none or the same one is recorded', async () => {
    ddbMock.on(UpdateItemCommand).resolves({});
    expect(await recordPaymentIntent(dynamodb, TABLE, args)).toEqual({ recorded: true });
    expect(ddbMock.commandCalls(UpdateItemCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Key: KEY,
      UpdateExpression:
        'SET orderId = :orderId, paymentIntentId = :pi, paymentStatus = :status, amount = :amount, currency = :currency, updatedAt = :now',
      ConditionExpression: 'attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi',
      ExpressionAttributeValues: {
        ':orderId': { S: 'ord-1' },
        ':pi': { S: 'pi_1' },
        ':status': { S: 'authorised' },
        ':amount': { N: '2999' },
        ':currency': { S: 'eur' },
        ':now': { S: NOW.toISOString() },
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
  });

  it('reports the PaymentIntent already recorded, from the old item DynamoDB returns', async () => {
    ddbMock.on(UpdateItemCommand).rejects(conditionFailed({ paymentIntentId: { S: 'pi_first' } }));
    expect(await recordPaymentIntent(dynamodb, TABLE, args)).toEqual({ recorded: false, existingPaymentIntentId: 'pi_first' });
    expect(ddbMock.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('reads the record when the failed condition carries no item (dynalite)', async () => {
    ddbMock.on(UpdateItemCommand).rejects(conditionFailed());
    ddbMock.on(GetItemCommand).resolves({ Item: { ...KEY, paymentIntentId: { S: 'pi_first' } } });
    expect(await recordPaymentIntent(dynamodb, TABLE, args)).toEqual({ recorded: false, existingPaymentIntentId: 'pi_first' });
  });

  it('rethrows other failures, and a failed condition it cannot explain', async () => {
    ddbMock.on(UpdateItemCommand).rejectsOnce(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(recordPaymentIntent(dynamodb, TABLE, args)).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    ddbMock.on(UpdateItemCommand).rejects(conditionFailed());
    ddbMock.on(GetItemCommand).resolves({});
    await expect(recordPaymentIntent(dynamodb, TABLE, args)).rejects.toBeInstanceOf(ConditionalCheckFailedException);
  });
});

describe('updatePaymentStatus', () => {
  it('sets the status of the record naming that PaymentIntent', async () => {
    ddbMock.on(UpdateItemCommand).resolves({});
    await updatePaymentStatus(dynamodb, TABLE, { orderId: 'ord-1', paymentIntentId: 'pi_1', status: 'declined', now: NOW });
    expect(ddbMock.commandCalls(UpdateItemCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      Key: KEY,
      UpdateExpression: 'SET paymentStatus = :status, updatedAt = :now',
      ConditionExpression: 'paymentIntentId = :pi',
      ExpressionAttributeValues: { ':status': { S: 'declined' }, ':now': { S: NOW.toISOString() }, ':pi': { S: 'pi_1' } },
    });
  });
});

describe('recordCompensation', () => {
  it('records a cancel without a refund id, and a refund with one', async () => {
    ddbMock.on(UpdateItemCommand).resolves({});
    await recordCompensation(dynamodb, TABLE, { orderId: 'ord-1', paymentIntentId: 'pi_1', status: 'canceled', now: NOW });
    await recordCompensation(dynamodb, TABLE, { orderId: 'ord-1', paymentIntentId: 'pi_1', status: 'refunded', refundId: 're_1', now: NOW });
    const [cancel, refund] = ddbMock.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(cancel).toEqual({
      TableName: TABLE,
      Key: KEY,
      UpdateExpression: 'SET orderId = :orderId, paymentIntentId = :pi, paymentStatus = :status, updatedAt = :now',
      ConditionExpression: 'attribute_not_exists(paymentIntentId) OR paymentIntentId = :pi',
      ExpressionAttributeValues: { ':orderId': { S: 'ord-1' }, ':pi': { S: 'pi_1' }, ':status': { S: 'canceled' }, ':now': { S: NOW.toISOString() } },
    });
    expect(refund).toMatchObject({
      UpdateExpression: 'SET orderId = :orderId, paymentIntentId = :pi, paymentStatus = :status, updatedAt = :now, refundId = :refundId',
      ExpressionAttributeValues: expect.objectContaining({ ':status': { S: 'refunded' }, ':refundId': { S: 're_1' } }),
    });
  });
});
