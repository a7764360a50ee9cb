import { describe, expect, it } from 'vitest';
import { HELP, main, parseCliArgs } from '../src/cli.js';
import { ConfigError, resolveConfig } from '../src/config.js';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/123456789012/saga-dev-review';

describe('resolveConfig', () => {
  it('local: an endpoint means dummy credentials, us-east-1, SQS on the same endpoint; binds 127.0.0.1:8090', () => {
    const c = resolveConfig({ queueUrl: QUEUE, sfnEndpoint: 'http://127.0.0.1:8083' });
    expect(c).toMatchObject({
      sfnEndpoint: 'http://127.0.0.1:8083',
      sqsEndpoint: 'http://127.0.0.1:8083',
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      host: '127.0.0.1',
      port: 8090,
    });
  });

  it('AWS: no endpoint leaves credentials and region to the SDK (or AWS_REGION)', () => {
    const c = resolveConfig({}, { REVIEW_QUEUE_URL: QUEUE, AWS_REGION: 'eu-west-1', STATE_MACHINE_ARN: 'arn:sm', REVIEW_CONSOLE_PORT: '9000' });
    expect(c).toMatchObject({ queueUrl: QUEUE, region: 'eu-west-1', credentials: undefined, sfnEndpoint: undefined, stateMachineArn: 'arn:sm', port: 9000 });
  });

  it('options win over the environment', () => {
    expect(resolveConfig({ queueUrl: QUEUE, host: '0.0.0.0' }, { REVIEW_CONSOLE_HOST: '10.0.0.1' }).host).toBe('0.0.0.0');
  });

  it('refuses a missing queue, bad URLs and ports', () => {
    expect(() => resolveConfig({})).toThrow(ConfigError);
    expect(() => resolveConfig({ queueUrl: 'review' })).toThrow(/not a URL/);
    expect(() => resolveConfig({ queueUrl: QUEUE, sfnEndpoint: 'localhost:8083' })).toThrow(/http/);
    expect(() => resolveConfig({ queueUrl: QUEUE }, { REVIEW_CONSOLE_PORT: 'eighty' })).toThrow(/integer/);
    expect(() => resolveConfig({ queueUrl: QUEUE, pollWaitSeconds: 21 })).toThrow(/0..20/);
  });
});

describe('the CLI', () => {
  it('parses its flags', () => {
    expect(
      parseCliArgs([
        '--queue-url', QUEUE,
        '--sfn-endpoint=http://127.0.0.1:8083',
        '--state-machine-arn', 'arn:sm',
        '--region', 'eu-west-1',
        '--port', '0',
        '--allowed-host', 'review.example:443',
        '--secure-cookies',
      ]),
    ).toEqual({
      help: false,
      options: {
        queueUrl: QUEUE,
        sfnEndpoint: 'http://127.0.0.1:8083',
        stateMachineArn: 'arn:sm',
        region: 'eu-west-1',
        port: 0,
        allowedHosts: ['review.example:443'],
        secureCookies: true,
      },
    });
  });

  it('prints help (0), and usage errors exit 2', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) } };
    expect(await main(['--help'], {}, io)).toBe(0);
    expect(out.join('')).toBe(HELP);
    expect(await main(['--nope'], {}, io)).toBe(2);
    expect(await main([], {}, io)).toBe(2);
    expect(out.join('')).toContain('review queue URL is required');
  });

  it('starts, says where, and stops on the signal', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) } };
    const controller = new AbortController();
    const running = main(['--queue-url', QUEUE, '--sfn-endpoint', 'http://127.0.0.1:9', '--port', '0'], {}, io, { signal: controller.signal });
    for (let i = 0; i < 200 && !out.join('').includes('listening on'); i++) await new Promise((r) => setTimeout(r, 10));
    const url = /listening on (\S+)/.exec(out.join(''))![1]!;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    controller.abort();
    expect(await running).toBe(0);
  });
});
