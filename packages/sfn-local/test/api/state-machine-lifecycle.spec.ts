import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  InvalidArn,
  InvalidDefinition,
  InvalidName,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  MissingRequiredParameter,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { definitions, ROLE_ARN, startServer, type TestServer } from './support.js';


let server: TestServer;
beforeEach(async () => {
  server = await startServer();
});
afterEach(async () => {
  await server.close();
});

const create = (name: string, definition = definitions.pass, extra: Record<string, unknown> = {}) =>
  server.client.send(new CreateStateMachineCommand({ name, definition, roleArn: ROLE_ARN, ...extra }));

describe('CreateStateMachine', () => {
  it('creates a state machine with an AWS-shaped ARN and a creation date', async () => {
    const before = Date.now();
    const out = await create('orders');
    expect(out.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:orders');
    expect(out.creationDate).toBeInstanceOf(Date);
    expect(out.creationDate!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it('is idempotent on an identical request and refuses a different definition under the same name', async () => {
    const first = await create('orders');
    const again = await create('orders');
    expect(again.stateMachineArn).toBe(first.stateMachineArn);
    expect(again.creationDate!.getTime()).toBe(first.creationDate!.getTime());
    const err = await create('orders', definitions.passResult({ other: true })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateMachineAlreadyExists);
    expect((err as Error).message).toBe(`State Machine Already Exists: '${first.stateMachineArn}'`);
  });

  it('ignores roleArn and tag differences for idempotency but not the type', async () => {
    await create('orders');
    await expect(create('orders', definitions.pass, { roleArn: 'arn:aws:iam::123456789012:role/other', tags: [{ key: 'a', value: 'b' }] })).resolves.toBeDefined();
    await expect(create('orders', definitions.pass, { type: 'EXPRESS' })).rejects.toBeInstanceOf(StateMachineAlreadyExists);
  });

  it('rejects an invalid definition with InvalidDefinition listing every diagnostic', async () => {
    const bad = JSON.stringify({ StartAt: 'Nope', States: { A: { Type: 'Pass', Next: 'Missing' } } });
    const err = await create('bad', bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidDefinition);
    const message = (err as Error).message;
    expect(message).toMatch(/^Invalid State Machine Definition: '/);
    expect(message).toContain("MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /StartAt");
    expect(message).toContain('MISSING_TRANSITION_TARGET: Missing \'Next\' target: Missing at /States/A/Next');
    expect(message).toMatch(/', *$|'$/);
  });

  it('rejects a definition that is not JSON', async () => {
    const err = await create('bad', '{not json').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidDefinition);
    expect((err as Error).message).toContain('INVALID_JSON_DESCRIPTION');
  });

  it('rejects names with forbidden characters with InvalidName', async () => {
    for (const name of ['has space', 'a/b', 'semi;colon', 'star*', 'q?', 'x:y', 'tab\t']) {
      const err = await create(name).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(InvalidName);
      expect((err as Error).message).toBe(`Invalid Name: '${name}'`);
    }
  });

  it('rejects a name longer than 80 characters with ValidationException in AWS wording', async () => {
    const name = 'n'.repeat(81);
    const err = await create(name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationException);
    expect((err as Error).message).toBe(
      `1 validation error detected: Value '${name}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80`,
    );
  });

  it('rejects an EXPRESS machine with a .waitForTaskToken task', async () => {
    const err = await create('express-cb', definitions.callback, { type: 'EXPRESS' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidDefinition);
  });

  it('rejects a role that is not an IAM role ARN with InvalidArn', async () => {
    const err = await create('orders', definitions.pass, { roleArn: 'not-an-arn' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidArn);
    expect((err as Error).message).toBe("Invalid Arn: 'Invalid ARN prefix: not-an-arn'");
  });
});

describe('DescribeStateMachine', () => {
  it('returns the definition, type, role and AWS defaults for logging and tracing', async () => {
    const { stateMachineArn } = await create('orders');
    const out = await server.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(out).toMatchObject({
      stateMachineArn,
      name: 'orders',
      status: 'ACTIVE',
      definition: definitions.pass,
      roleArn: ROLE_ARN,
      type: 'STANDARD',
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    });
    expect(out.creationDate).toBeInstanceOf(Date);
  });

  it('answers StateMachineDoesNotExist for an unknown ARN', async () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:ghost';
    const err = await server.client.send(new DescribeStateMachineCommand({ stateMachineArn: arn })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateMachineDoesNotExist);
    expect((err as Error).message).toBe(`State Machine Does Not Exist: '${arn}'`);
  });

  it('answers InvalidArn for a malformed ARN or another resource type', async () => {
    const bad = await server.client.send(new DescribeStateMachineCommand({ stateMachineArn: 'nope' })).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(InvalidArn);
    expect((bad as Error).message).toBe("Invalid Arn: 'Invalid ARN prefix: nope'");
    const exec = 'arn:aws:states:us-east-1:123456789012:execution:orders:x';
    const wrong = await server.client.send(new DescribeStateMachineCommand({ stateMachineArn: exec })).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InvalidArn);
    expect((wrong as Error).message).toBe("Invalid Arn: 'Resource type not valid in this context: execution'");
  });
});

describe('ListStateMachines', () => {
  it('pages with maxResults and nextToken in creation order', async () => {
    for (let i = 0; i < 5; i++) await create(`sm-${i}`);
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out = await server.client.send(new ListStateMachinesCommand({ maxResults: 2, nextToken }));
      names.push(...out.stateMachines!.map((s) => s.name!));
      for (const s of out.stateMachines!) expect(s).toMatchObject({ type: 'STANDARD', creationDate: expect.any(Date) });
      nextToken = out.nextToken;
      pages++;
    } while (nextToken);
    expect(names).toEqual(['sm-0', 'sm-1', 'sm-2', 'sm-3', 'sm-4']);
    expect(pages).toBe(3);
  });

  it('treats maxResults 0 as the default page size', async () => {
    await create('a');
    const out = await server.client.send(new ListStateMachinesCommand({ maxResults: 0 }));
    expect(out.stateMachines).toHaveLength(1);
    expect(out.nextToken).toBeUndefined();
  });
});

describe('UpdateStateMachine', () => {
  it('updates the definition and returns an update date and a revision id', async () => {
    const { stateMachineArn } = await create('orders');
    const definition = definitions.passResult({ v: 2 });
    const out = await server.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition }));
    expect(out.updateDate).toBeInstanceOf(Date);
    expect(out.revisionId).toMatch(/^[0-9a-f-]{36}$/);
    const described = await server.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.definition).toBe(definition);
    expect(described.revisionId).toBe(out.revisionId);
  });

  it('requires at least one thing to update (MissingRequiredParameter)', async () => {
    const { stateMachineArn } = await create('orders');
    const err = await server.client.send(new UpdateStateMachineCommand({ stateMachineArn })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingRequiredParameter);
    expect((err as Error).message).toBe(
      'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
    );
  });

  it('validates the new definition and refuses unknown state machines', async () => {
    const { stateMachineArn } = await create('orders');
    await expect(
      server.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: '{"StartAt":"X","States":{}}' })),
    ).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(
      server.client.send(
        new UpdateStateMachineCommand({ stateMachineArn: `${stateMachineArn}-ghost`, definition: definitions.pass }),
      ),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('DeleteStateMachine', () => {
  it('deletes a state machine; deleting an unknown one succeeds as on AWS', async () => {
    const { stateMachineArn } = await create('orders');
    await server.client.send(new DeleteStateMachineCommand({ stateMachineArn }));
    await expect(server.client.send(new DescribeStateMachineCommand({ stateMachineArn }))).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
    await expect(server.client.send(new DeleteStateMachineCommand({ stateMachineArn }))).resolves.toBeDefined();
    const list = await server.client.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines).toEqual([]);
  });

  it('answers InvalidArn for a malformed ARN', async () => {
    await expect(server.client.send(new DeleteStateMachineCommand({ stateMachineArn: 'arn:aws:s3:::bucket' }))).rejects.toBeInstanceOf(
      InvalidArn,
    );
  });
});

describe('Tags', () => {
  it('tags, lists and untags a state machine', async () => {
    const { stateMachineArn } = await create('orders', definitions.pass, { tags: [{ key: 'team', value: 'ops' }] });
    await server.client.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [{ key: 'env', value: 'dev' }] }));
    const listed = await server.client.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }));
    expect(listed.tags).toEqual([
      { key: 'team', value: 'ops' },
      { key: 'env', value: 'dev' },
    ]);
    await server.client.send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ['team'] }));
    const after = await server.client.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }));
    expect(after.tags).toEqual([{ key: 'env', value: 'dev' }]);
  });
});
