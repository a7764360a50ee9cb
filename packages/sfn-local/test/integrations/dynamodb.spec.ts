import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StatesError } from '../../src/errors.js';
import { createDynamoDbResolver, mapDynamoDbError, type DynamoDbResolver } from '../../src/integrations/dynamodb.js';
import { answer, invocation, rejection } from './support.js';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';

const GET = 'arn:aws:states:::dynamodb:getItem';
const PUT = 'arn:aws:states:::dynamodb:putItem';
const UPDATE = 'arn:aws:states:::dynamodb:updateItem';
const DELETE = 'arn:aws:states:::dynamodb:deleteItem';
const TABLE = 'Stock';

let server: Server;
let endpoint: string;
let resolve: DynamoDbResolver;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  resolve = createDynamoDbResolver({ endpoint, region: 'eu-west-1' });
  const client = await resolve.client();
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: 'sku', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

afterAll(async () => {
  resolve?.destroy();
  await new Promise<void>((done) => server.close(() => done()));
});

describe('dynamodb optimized integration against dynalite', () => {
  it('putItem then getItem: the result is the API response ({Item}) without $metadata', async () => {
    const put = await answer(
      resolve(
        invocation(PUT, {
          TableName: TABLE,
          Item: { sku: { S: 'sku-1' }, available: { N: '10' }, tags: { SS: ['a', 'b'] }, blob: { B: 'AAEC' } },
        }),
      ),
    );
    expect(put).toEqual({});
    const got = await answer(resolve(invocation(GET, { TableName: TABLE, Key: { sku: { S: 'sku-1' } } })));
    expect(got).toEqual({
      Item: { sku: { S: 'sku-1' }, available: { N: '10' }, tags: { SS: ['a', 'b'] }, blob: { B: 'AAEC' } },
    });
  });

  it('getItem of a missing item returns {}', async () => {
    expect(await answer(resolve(invocation(GET, { TableName: TABLE, Key: { sku: { S: 'nope' } } })))).toEqual({});
  });

  it('updateItem with ReturnValues returns Attributes', async () => {
    await answer(resolve(invocation(PUT, { TableName: TABLE, Item: { sku: { S: 'sku-2' }, available: { N: '3' } } })));
    const updated = await answer(
      resolve(
        invocation(UPDATE, {
          TableName: TABLE,
          Key: { sku: { S: 'sku-2' } },
          UpdateExpression: 'SET available = available - :q',
          ConditionExpression: 'attribute_exists(sku) AND available >= :q',
          ExpressionAttributeValues: { ':q': { N: '2' } },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    expect(updated).toEqual({ Attributes: { sku: { S: 'sku-2' }, available: { N: '1' } } });
  });

  it('a failed ConditionExpression is DynamoDB.ConditionalCheckFailedException with the message as Cause', async () => {
    const e = (await rejection(
      resolve(
        invocation(UPDATE, {
          TableName: TABLE,
          Key: { sku: { S: 'sku-2' } },
          UpdateExpression: 'SET available = available - :q',
          ConditionExpression: 'available >= :q',
          ExpressionAttributeValues: { ':q': { N: '5' } },
        }),
      ),
    )) as StatesError;
    expect(e).toBeInstanceOf(StatesError);
    expect(e.name).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(e.cause).toMatch(
      /^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: .*; Proxy: null\)$/,
    );
  });

  it('deleteItem with ReturnValues ALL_OLD returns the deleted Attributes', async () => {
    await answer(resolve(invocation(PUT, { TableName: TABLE, Item: { sku: { S: 'sku-3' }, n: { N: '1' } } })));
    expect(
      await answer(resolve(invocation(DELETE, { TableName: TABLE, Key: { sku: { S: 'sku-3' } }, ReturnValues: 'ALL_OLD' }))),
    ).toEqual({ Attributes: { sku: { S: 'sku-3' }, n: { N: '1' } } });
    expect(await answer(resolve(invocation(GET, { TableName: TABLE, Key: { sku: { S: 'sku-3' } } })))).toEqual({});
  });

  it('an unknown table is DynamoDB.ResourceNotFoundException', async () => {
    const e = (await rejection(resolve(invocation(GET, { TableName: 'Missing', Key: { sku: { S: 'x' } } })))) as StatesError;
    expect(e.name).toBe('DynamoDB.ResourceNotFoundException');
    expect(e.cause).toContain('Error Code: ResourceNotFoundException');
  });

  it('missing TableName/Key or a numeric N is States.Runtime (Parameters could not be used)', async () => {
    const e1 = (await rejection(resolve(invocation(GET, { Key: { sku: { S: 'x' } } })))) as StatesError;
    expect(e1.name).toBe('States.Runtime');
    expect(e1.cause).toContain("[The field 'TableName' is required but was missing]");
    const e2 = (await rejection(resolve(invocation(PUT, { TableName: TABLE })))) as StatesError;
    expect(e2.cause).toContain("[The field 'Item' is required but was missing]");
    const e3 = (await rejection(resolve(invocation(PUT, { TableName: TABLE, Item: { sku: { S: 'x' }, n: { N: 5 } } })))) as StatesError;
    expect(e3.cause).toContain("[The value for the field 'N' must be a STRING]");
  });

  it('a client passed in is used as is; other DynamoDB APIs and patterns are not handled', async () => {
    const client = new DynamoDBClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    try {
      const own = createDynamoDbResolver({ client });
      expect(await own.client()).toBe(client);
      expect(await answer(own(invocation(GET, { TableName: TABLE, Key: { sku: { S: 'sku-1' } } })))).toHaveProperty('Item');
      expect(own(invocation('arn:aws:states:::dynamodb:query', {}))).toBeUndefined();
      expect(own(invocation('arn:aws:states:::dynamodb:getItem.waitForTaskToken', {}))).toBeUndefined();
    } finally {
      client.destroy();
    }
  });

  it('a connection failure is DynamoDB.SdkClientException', async () => {
    const closed = createDynamoDbResolver({ endpoint: 'http://127.0.0.1:1', region: 'eu-west-1' });
    try {
      const e = (await rejection(closed(invocation(GET, { TableName: TABLE, Key: { sku: { S: 'x' } } })))) as StatesError;
      expect(e.name).toBe('DynamoDB.SdkClientException');
    } finally {
      closed.destroy();
    }
    expect(mapDynamoDbError(Object.assign(new Error('x'), { name: 'InternalServerError', $metadata: { httpStatusCode: 500 } })).name).toBe(
      'DynamoDB.InternalServerErrorException',
    );
  });

  it('an aborted signal rejects with its reason', async () => {
    const controller = new AbortController();
    controller.abort('stopped');
    expect(
      await rejection(resolve(invocation(GET, { TableName: TABLE, Key: { sku: { S: 'sku-1' } } }, { signal: controller.signal }))),
    ).toBe('stopped');
  });
});
