import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { JsonValue } from '@saga/asl';
import type { TaskResolver } from '../../src/integrations/types.js';
import { startSfnLocal, type SfnLocal, type SfnLocalOptions } from '../../src/server.js';

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/sfn-local-test';

/** An SDK client pointed at a local endpoint (no `sync-` host prefix, dummy credentials). */
export function sfnClient(endpoint: string): SFNClient {
  return new SFNClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    disableHostPrefix: true,
    maxAttempts: 1,
  });
}

/** Resolves tasks whose Resource names a function here: `arn:aws:lambda:...:function:<name>` or the bare name. */
export function handlers(fns: Record<string, (input: JsonValue) => JsonValue | Promise<JsonValue>>): TaskResolver {
  return (invocation) => {
    const name = invocation.resource.split(':').pop()!;
    const fn = fns[name];
    return fn ? Promise.resolve().then(() => fn(invocation.input)) : undefined;
  };
}

export interface TestServer {
  local: SfnLocal;
  client: SFNClient;
  endpoint: string;
  close(): Promise<void>;
}

/** Accepts `sqs:sendMessage` (the callback machine's task; the token then waits for SendTask*). */
export const acceptSqs: TaskResolver = (invocation) =>
  invocation.resource.startsWith('arn:aws:states:::sqs:sendMessage') ? Promise.resolve({ MessageId: 'm-1' }) : undefined;

/** Starts a server on an ephemeral port with a client for it. */
export async function startServer(options: Partial<SfnLocalOptions> = {}): Promise<TestServer> {
  const local = await startSfnLocal({ resolve: acceptSqs, ...options });
  const client = sfnClient(local.endpoint);
  return {
    local,
    client,
    endpoint: local.endpoint,
    async close() {
      client.destroy();
      await local.close();
    },
  };
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'sfn-local-api-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

/** Polls `probe` until it returns a truthy value (or fails after `timeoutMs`). */
export async function eventually<T>(probe: () => Promise<T> | T, timeoutMs = 5000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Raw awsJson1_0 request, for what the SDK would never send. */
export async function rawCall(
  endpoint: string,
  target: string | undefined,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(endpoint + '/', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      ...(target !== undefined ? { 'x-amz-target': target } : {}),
      ...headers,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export const definitions = {
  pass: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
  passResult: (result: JsonValue) => JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } }),
  fail: JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'it broke' } } }),
  wait: (seconds: number) =>
    JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: seconds, Next: 'Done' }, Done: { Type: 'Succeed' } } }),
  callback: JSON.stringify({
    StartAt: 'Before',
    States: {
      Before: { Type: 'Pass', Next: 'Review' },
      Review: {
        Type: 'Task',
        Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
        Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/review', 'MessageBody.$': '$$.Task.Token' },
        Next: 'After',
      },
      After: { Type: 'Pass', End: true },
    },
  }),
  task: (fn: string) =>
    JSON.stringify({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: `arn:aws:lambda:us-east-1:123456789012:function:${fn}`, End: true } },
    }),
};
