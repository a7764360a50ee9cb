import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndex,
  type KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import { stringAttribute, type TerraformJson } from './terraform.js';

/**
 * The stack's `aws_dynamodb_table` resources created on the local DynamoDB as Terraform declares
 * them (attributes, keys, global secondary indexes): the local tables are the deployed tables'
 * shape, not a second hand-written schema. Existing tables are kept (a restart keeps its data).
 */

interface TerraformTable {
  name: string;
  hash_key: string;
  range_key?: string;
  attribute: Array<{ name: string; type: 'S' | 'N' | 'B' }>;
  global_secondary_index?: Array<{ name: string; hash_key: string; range_key?: string; projection_type: string; non_key_attributes?: string[] }>;
}

/** The CreateTable input of one synthesized table. */
export function createTableInput(resource: Record<string, unknown>, key: string) {
  const table = resource as unknown as TerraformTable;
  const name = stringAttribute(resource, 'name', `aws_dynamodb_table.${key}`);
  const keySchema = (hash: string, range?: string): KeySchemaElement[] => [
    { AttributeName: hash, KeyType: 'HASH' },
    ...(range ? [{ AttributeName: range, KeyType: 'RANGE' as const }] : []),
  ];
  const indexes: GlobalSecondaryIndex[] = (table.global_secondary_index ?? []).map((i) => ({
    IndexName: i.name,
    KeySchema: keySchema(i.hash_key, i.range_key),
    Projection: {
      ProjectionType: i.projection_type as 'ALL' | 'KEYS_ONLY' | 'INCLUDE',
      ...(i.non_key_attributes ? { NonKeyAttributes: i.non_key_attributes } : {}),
    },
  }));
  return {
    TableName: name,
    AttributeDefinitions: table.attribute.map((a): AttributeDefinition => ({ AttributeName: a.name, AttributeType: a.type })),
    KeySchema: keySchema(table.hash_key, table.range_key),
    BillingMode: 'PAY_PER_REQUEST' as const,
    ...(indexes.length > 0 ? { GlobalSecondaryIndexes: indexes } : {}),
  };
}

/** Creates every table of the stack that does not exist yet; returns the table names by Terraform name. */
export async function createStackTables(dynamodb: DynamoDBClient, stack: TerraformJson): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const [key, resource] of Object.entries(stack.resource['aws_dynamodb_table'] ?? {})) {
    const input = createTableInput(resource, key);
    names[key] = input.TableName;
    if (await tableExists(dynamodb, input.TableName)) continue;
    try {
      await dynamodb.send(new CreateTableCommand(input));
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
    }
  }
  return names;
}

async function tableExists(dynamodb: DynamoDBClient, name: string): Promise<boolean> {
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (e) {
    if (e instanceof ResourceNotFoundException) return false;
    throw e;
  }
}
