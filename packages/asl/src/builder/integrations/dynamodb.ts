import type { PayloadTemplate } from '../../definition/states.js';
import type { Field, JsonPathInvocation } from './invocation.js';
import { jsonPathInvocation } from './invocation.js';

/** A DynamoDB item or key in the API's AttributeValue JSON (`{ "pk": { "S": "order#1" } }`). */
export type AttributeMap = PayloadTemplate;

type TableField = Field<'TableName', string>;

export type DynamoDbGetItemParameters = TableField & {
  Key: AttributeMap;
  ConsistentRead?: boolean;
  ProjectionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
};

export type DynamoDbPutItemParameters = TableField & {
  Item: AttributeMap;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: AttributeMap;
  ReturnValues?: 'NONE' | 'ALL_OLD';
};

export type DynamoDbUpdateItemParameters = TableField & {
  Key: AttributeMap;
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: AttributeMap;
  ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
};

/** Errors from these integrations are named `DynamoDB.<Exception>`. */
export function dynamoDbGetItem(parameters: DynamoDbGetItemParameters): JsonPathInvocation {
  return jsonPathInvocation('dynamodb', 'getItem', parameters);
}
export function dynamoDbPutItem(parameters: DynamoDbPutItemParameters): JsonPathInvocation {
  return jsonPathInvocation('dynamodb', 'putItem', parameters);
}
export function dynamoDbUpdateItem(parameters: DynamoDbUpdateItemParameters): JsonPathInvocation {
  return jsonPathInvocation('dynamodb', 'updateItem', parameters);
}
