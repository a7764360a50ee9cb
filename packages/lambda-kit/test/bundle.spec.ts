import { build, type Plugin } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { LAMBDA_BUNDLE_OPTIONS, LAMBDA_METAFILE, paymentTrims } from '../bundle/lambda-bundle.js';
import { awsClientVersionOnly, awsEventStreams, awsStubFor, awsUnusedFeatures, stripeResources, stripeUnusedFeatures, trimStripeEntry } from '../bundle/trims.js';
import { PAYMENT_STRIPE_RESOURCES } from '../src/payments/stripe-resources.js';

const KIT = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const STRIPE_ENTRY = join(ROOT, 'node_modules/stripe/esm/stripe.esm.node.js');
const SMITHY = join(ROOT, 'node_modules/@smithy/core/dist-es/submodules');
const DYNAMODB = join(ROOT, 'node_modules/@aws-sdk/client-dynamodb/dist-es');
const out = mkdtempSync(join(tmpdir(), 'lambda-kit-bundle-'));
const servers: { close(done: () => void): void }[] = [];

afterAll(() => rmSync(out, { recursive: true, force: true }));
afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/** A local HTTP server answering every request with `handler`; its base URL. */
async function serve(handler: RequestListener): Promise<URL> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

/** Bundles `source` (resolved from this package) with the Lambda options and `plugins`; returns the file and its inputs. */
async function bundle(name: string, source: string, plugins: Plugin[]): Promise<{ file: string; inputs: Record<string, { bytesInOutput: number }> }> {
  const file = join(out, `${name}.mjs`);
  const { entryPoints: _entry, outfile: _outfile, ...options } = LAMBDA_BUNDLE_OPTIONS;
  const result = await build({
    ...options,
    mainFields: [...options.mainFields],
    conditions: [...options.conditions],
    stdin: { contents: source, resolveDir: KIT, loader: 'ts', sourcefile: `${name}.ts` },
    outfile: file,
    metafile: true,
    logLevel: 'silent',
    plugins,
  });
  return { file, inputs: Object.values(result.metafile.outputs)[0]!.inputs };
}

describe('the bundle options', () => {
  it("are nx.json's targetDefaults.bundle command, flag for flag", () => {
    const nx = JSON.parse(readFileSync(join(ROOT, 'nx.json'), 'utf8')) as { targetDefaults: { bundle: { command: string } } };
    const tokens = [...nx.targetDefaults.bundle.command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    expect(tokens[0]).toBe('esbuild');
    const fromCli: Record<string, unknown> = { entryPoints: [tokens[1]], alias: {}, banner: {} };
    let metafile: string | undefined;
    for (const flag of tokens.slice(2)) {
      const [, name, value] = /^--([\w:@/-]+?)(?:=(.*))?$/.exec(flag) ?? [];
      if (name === 'bundle' || name === 'minify') fromCli[name] = true;
      else if (name === 'platform' || name === 'target' || name === 'format' || name === 'outfile') fromCli[name] = value;
      else if (name === 'legal-comments') fromCli['legalComments'] = value;
      else if (name === 'main-fields') fromCli['mainFields'] = value!.split(',');
      else if (name === 'conditions') fromCli['conditions'] = value!.split(',');
      else if (name === 'metafile') metafile = value;
      else if (name?.startsWith('alias:')) (fromCli['alias'] as Record<string, string>)[name.slice('alias:'.length)] = value!;
      else if (name === 'banner:js') (fromCli['banner'] as Record<string, string>)['js'] = value!;
      else throw new Error(`nx.json's bundle command has ${flag}: mirror it in bundle/lambda-bundle.ts (LAMBDA_BUNDLE_OPTIONS) and here`);
    }
    expect(fromCli).toEqual(LAMBDA_BUNDLE_OPTIONS);
    expect(metafile).toBe(LAMBDA_METAFILE);
  });

  it('the payment trims keep the resources the payment steps use', () => {
    expect(PAYMENT_STRIPE_RESOURCES).toEqual(['paymentIntents', 'refunds']);
    expect(paymentTrims().map((p) => p.name)).toEqual([
      'stripe-resources',
      'stripe-unused-features',
      'aws-event-streams',
      'aws-unused-features',
      'aws-client-version-only',
    ]);
  });
});

describe('stripeResources', () => {
  it('rewrites the installed stripe entry to construct only the kept resources', () => {
    const source = readFileSync(STRIPE_ENTRY, 'utf8');
    const { contents, keptClasses } = trimStripeEntry(source, ['paymentIntents', 'refunds']);
    expect(keptClasses).toEqual(['PaymentIntentResource', 'RefundResource']);
    expect([...contents.matchAll(/this\.(\w+) = new \w+\(this\);/g)].map((m) => m[1])).toEqual(['paymentIntents', 'refunds']);
    expect(contents).not.toMatch(/from '\.\/resources\/(?!PaymentIntents|Refunds)/);
    expect(contents).toContain("import * as resources from 'saga-stripe-kept-resources';");
  });

  it('fails loudly on an unknown resource or an entry of another shape', () => {
    const source = readFileSync(STRIPE_ENTRY, 'utf8');
    expect(() => trimStripeEntry(source, ['paymentIntent'])).toThrow('the Stripe client has no resource paymentIntent');
    expect(() => trimStripeEntry(source.replace('// StripeInitInstanceVariables: The beginning', '// renamed'), ['refunds'])).toThrow(
      /no generated resource sections/,
    );
    expect(() => trimStripeEntry(source.replace("import { ChargeResource, } from './resources/Charges.js';", ''), ['refunds'])).toThrow(
      'no import of ChargeResource',
    );
  });

  it('gives a working client with only those resources; unused Stripe features throw, naming themselves', async () => {
    const { file, inputs } = await bundle('stripe', "export { default } from 'stripe';", [stripeResources(PAYMENT_STRIPE_RESOURCES), stripeUnusedFeatures()]);
    const { default: Stripe } = (await import(pathToFileURL(file).href)) as { default: typeof import('stripe').default };
    const stripe = new Stripe('sk_test_x', { telemetry: false });
    expect(typeof stripe.paymentIntents.create).toBe('function');
    expect(typeof stripe.refunds.list).toBe('function');
    expect((stripe as unknown as Record<string, unknown>)['customers']).toBeUndefined();
    expect(Object.keys(Stripe.resources).sort()).toEqual(['PaymentIntents', 'Refunds']);
    expect(new Stripe.errors.StripeCardError({ message: 'declined' }).type).toBe('StripeCardError');
    expect(() => stripe.webhooks.constructEvent('{}', 'sig', 'whsec')).toThrow('stripe: webhook signature verification is not in this Lambda bundle');
    expect(() => Stripe.createFetchHttpClient()).toThrow('stripe: the fetch HTTP client');
    expect(() => Stripe.createNodeCryptoProvider()).toThrow('stripe: the Node crypto provider (createNodeCryptoProvider) is not in this Lambda bundle');
    const resources = Object.keys(inputs).filter((f) => f.includes('stripe/esm/resources/'));
    expect(resources.map((f) => f.replace(/^.*stripe\/esm\//, '')).sort()).toEqual(['resources/PaymentIntents.js', 'resources/Refunds.js']);
    const left = ['Webhooks.js', 'Decimal.js', 'autoPagination.js', 'crypto/NodeCryptoProvider.js'].filter((m) => Object.keys(inputs).some((f) => f.endsWith(`stripe/esm/${m}`)));
    expect(left).toEqual([]);
  });

  it('a list call still gives its first page; auto-paginating it throws, naming itself', async () => {
    const { file } = await bundle('stripe-list', "export { default } from 'stripe';", [stripeResources(PAYMENT_STRIPE_RESOURCES), stripeUnusedFeatures()]);
    const { default: Stripe } = (await import(pathToFileURL(file).href)) as { default: typeof import('stripe').default };
    const api = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', url: '/v1/refunds', has_more: true, data: [{ id: 're_1', object: 'refund' }] }));
    });
    const stripe = new Stripe('sk_test_x', { host: api.hostname, port: api.port, protocol: 'http', telemetry: false, maxNetworkRetries: 0 });
    const list = stripe.refunds.list({ payment_intent: 'pi_1', limit: 1 });
    const notBundled = 'stripe: auto-pagination (autoPagingEach, autoPagingToArray, for await over a list) is not in this Lambda bundle';
    expect(() => list.autoPagingToArray({ limit: 10 })).toThrow(notBundled);
    expect(() => list[Symbol.asyncIterator]()).toThrow(notBundled);
    await expect(list).resolves.toMatchObject({ object: 'list', has_more: true, data: [{ id: 're_1' }] });
  });

  it('fails the build when the stripe entry is not in it', async () => {
    await expect(bundle('no-stripe', 'export const x = 1;', [stripeResources(['refunds'])])).rejects.toThrow(/was not in the bundle/);
  });
});

describe('AWS SDK trims', () => {
  it('the event-stream codec is a stub that throws when loaded by a client that needs it', async () => {
    const { file, inputs } = await bundle('event-streams', "export const load = () => import('@smithy/core/event-streams');", [awsEventStreams()]);
    const { load } = (await import(pathToFileURL(file).href)) as { load: () => Promise<{ EventStreamSerde: () => unknown }> };
    await expect((async () => (await load()).EventStreamSerde())()).rejects.toThrow('AWS SDK: event streams (@smithy/core/event-streams) is not in this Lambda bundle');
    expect(Object.keys(inputs).some((f) => f.includes('event-streams/'))).toBe(false);
  });

  it('refuses a static import of the event-stream codec', async () => {
    await expect(bundle('event-streams-static', "export * from '@smithy/core/event-streams';", [awsEventStreams()])).rejects.toThrow(/statically/);
  });

  it("a client's package.json is reduced to its version", async () => {
    const { inputs } = await bundle('dynamodb', "export { DynamoDBClient } from '@aws-sdk/client-dynamodb';", [awsClientVersionOnly()]);
    const [pkg] = Object.entries(inputs).filter(([f]) => f.endsWith('client-dynamodb/package.json'));
    const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/@aws-sdk/client-dynamodb/package.json'), 'utf8')) as { version: string };
    expect(pkg![1].bytesInOutput).toBeLessThan(60);
    expect(readFileSync(join(out, 'dynamodb.mjs'), 'utf8')).toContain(version);
  });
});

describe('awsUnusedFeatures', () => {
  type Aws = typeof import('@aws-sdk/client-dynamodb') & {
    SignatureV4: typeof import('@smithy/signature-v4').SignatureV4;
    Sha256: new () => { update(data: string): void; digest(): Promise<Uint8Array> };
    resolveParams: (input: object, instructions: object, config: object) => Promise<unknown>;
    parseJsonBody: (body: Uint8Array, context: object, schema: unknown) => Promise<unknown>;
  };
  const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };

  it('gives a DynamoDB client that still works, without what it never runs; each part left out throws, naming itself', async () => {
    const { file, inputs } = await bundle(
      'aws-unused',
      `export { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
export { SignatureV4 } from '@smithy/signature-v4';
export { Sha256 } from '@smithy/core/checksum';
export { resolveParams } from '@smithy/core/endpoints';
export { parseJsonBody } from '@smithy/core/protocols';`,
      [awsEventStreams(), awsUnusedFeatures()],
    );
    vi.stubEnv('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED', 'true');
    const left = Object.keys(inputs).filter((f) =>
      /node_modules\/.*(mnemonist|obliterator|endpoint-cache|endpoint-discovery|Sha256Js|AdaptiveRetryStrategy|DefaultRateLimiter|HeaderFormatter|getInstanceMetadataRegion|service-customizations|jsonReviver)/.test(f),
    );
    expect(left).toEqual([]);
    const [, httpBindings] = Object.entries(inputs).find(([f]) => f.endsWith('protocols/HttpBindingNormalizedSchema.js'))!;
    expect(httpBindings.bytesInOutput).toBeLessThan(600); // getHttpOperationBindings only
    const aws = (await import(pathToFileURL(file).href)) as Aws;

    // A GetItem round trip: endpoint, signature (node:crypto SHA-256), JSON codec, retry strategy.
    const requests: { target: unknown; authorization: unknown }[] = [];
    const dynamodb = await serve((req, res) => {
      requests.push({ target: req.headers['x-amz-target'], authorization: req.headers['authorization'] });
      req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"Item":{"pk":{"S":"ORDER#1"},"n":{"N":"12345678901234567890"}}}'));
    });
    const client = new aws.DynamoDBClient({ region: 'eu-west-1', endpoint: dynamodb.href, credentials, retryMode: 'standard' });
    const { Item } = await client.send(new aws.GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'ORDER#1' } } }));
    expect(Item).toEqual({ pk: { S: 'ORDER#1' }, n: { N: '12345678901234567890' } });
    expect(requests).toEqual([{ target: 'DynamoDB_20120810.GetItem', authorization: expect.stringMatching(/^AWS4-HMAC-SHA256 Credential=AKIDLOCAL\//) }]);
    const sha = new aws.Sha256();
    sha.update('abc');
    expect(Buffer.from(await sha.digest()).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');

    const notBundled = (what: string) => `AWS SDK: ${what} is not in this Lambda bundle (left out by packages/lambda-kit/bundle/trims.ts)`;
    expect(() => (client.config as unknown as { endpointCache: { get(key: string): unknown } }).endpointCache.get('k')).toThrow(
      notBundled('endpoint discovery (@aws-sdk/middleware-endpoint-discovery)'),
    );
    const adaptive = new aws.DynamoDBClient({ region: 'eu-west-1', endpoint: dynamodb.href, credentials, retryMode: 'adaptive' });
    await expect(adaptive.send(new aws.GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'x' } } }))).rejects.toThrow(
      notBundled("the adaptive retry mode (retryMode 'adaptive', AWS_RETRY_MODE=adaptive)"),
    );
    vi.stubEnv('AWS_EXECUTION_ENV', ''); // outside Lambda, the "auto" defaults mode asks the instance metadata
    const auto = new aws.DynamoDBClient({ region: 'eu-west-1', endpoint: dynamodb.href, credentials, retryMode: 'standard', defaultsMode: 'auto' });
    await expect(auto.send(new aws.GetItemCommand({ TableName: 'orders', Key: { pk: { S: 'x' } } }))).rejects.toThrow(
      notBundled('the EC2 instance-metadata region lookup (set AWS_REGION)'),
    );
    const signer = new aws.SignatureV4({ credentials, region: 'eu-west-1', service: 'dynamodb', sha256: aws.Sha256 });
    await expect(signer.signMessage({ message: { headers: {}, body: new Uint8Array() }, priorSignature: '' }, {})).rejects.toThrow(
      notBundled('event-stream message signing (SignatureV4.signMessage)'),
    );
    await expect(aws.resolveParams({}, {}, { serviceId: 's3' })).rejects.toThrow(notBundled('the S3 endpoint parameters (resolveParamsForS3)'));
    const bigIntegers = [3, 'test', 'Big', 0, ['n'], [17]];
    await expect(aws.parseJsonBody(new TextEncoder().encode('{"n":1}'), {}, bigIntegers)).rejects.toThrow(
      notBundled('JSON big-number and document parsing (jsonReviver)'),
    );
    expect(requests).toHaveLength(1);
  });

  it('leaves out only what no DynamoDB operation reaches: big numbers, documents, host prefixes', async () => {
    const { file } = await bundle(
      'dynamodb-schemas',
      `export * as schemas from '${DYNAMODB}/schemas/schemas_0.js';
export { needsReviver } from '${SMITHY}/protocols/json/needsReviver.js';
export { getHttpOperationBindings } from '${SMITHY}/protocols/HttpBindingNormalizedSchema.js';
export { operation } from '@smithy/core/schema';`,
      [],
    );
    const { schemas, needsReviver, getHttpOperationBindings, operation } = (await import(pathToFileURL(file).href)) as {
      schemas: Record<string, unknown>;
      needsReviver: (schema: unknown) => boolean;
      getHttpOperationBindings: (operation: unknown) => unknown[];
      operation: (...args: unknown[]) => unknown;
    };
    expect(needsReviver([3, 'test', 'Big', 0, ['n'], [17]])).toBe(true); // the check itself works
    const operations = Object.entries(schemas).filter((e): e is [string, unknown[]] => Array.isArray(e[1]) && e[1][0] === 9);
    expect(operations.map(([name]) => name)).toEqual(expect.arrayContaining(['GetItem$', 'UpdateItem$', 'PutItem$', 'TransactWriteItems$']));
    const reached = operations.filter(([, [, ns, name, traits, input, output]]) => {
      const resolved = [input, output].map((s) => (typeof s === 'function' ? (s as () => unknown)() : s));
      return resolved.some(needsReviver) || getHttpOperationBindings(operation(ns, name, traits, input, output))[4] !== undefined;
    });
    expect(reached.map(([name]) => name)).toEqual([]);
  });

  it('fails loudly on SDK code of another shape, and leaves other importers alone', () => {
    const sdk = (path: string) => join(ROOT, 'node_modules', path);
    const read = (path: string) => readFileSync(sdk(path), 'utf8');
    const sha256Node = '@smithy/core/dist-es/submodules/checksum/sha256/Sha256Node.js';
    const retryConfig = '@smithy/core/dist-es/submodules/retry/middleware-retry/configurations.js';
    const dynamodbClient = '@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js';
    expect(awsStubFor('./Sha256Js', sdk(sha256Node), () => read(sha256Node))).toBe('Sha256Js');
    expect(awsStubFor('@aws-sdk/middleware-endpoint-discovery', sdk(dynamodbClient), () => read(dynamodbClient))).toBe('endpoint-discovery');
    expect(() => awsStubFor('./Sha256Js', sdk(sha256Node), () => read(sha256Node).replace('createHash("sha256")', 'createHash("sha512")'))).toThrow(
      /Sha256Node\.js does not use \.\/Sha256Js as expected \(its layout changed\): check that AWS SDK: the JavaScript SHA-256 .* is still unreachable/,
    );
    expect(() =>
      awsStubFor('../util-retry/AdaptiveRetryStrategy', sdk(retryConfig), () => read(retryConfig).replace('=== RETRY_MODES.ADAPTIVE', '!== RETRY_MODES.STANDARD')),
    ).toThrow(/configurations\.js does not use \.\.\/util-retry\/AdaptiveRetryStrategy as expected/);
    const withDiscovery = `import { getEndpointDiscoveryPlugin } from "@aws-sdk/middleware-endpoint-discovery";\n${read(dynamodbClient)}`;
    expect(() => awsStubFor('@aws-sdk/middleware-endpoint-discovery', sdk(dynamodbClient), () => withDiscovery)).toThrow(/endpoint discovery/);
    const codecV1 = '@smithy/core/dist-es/submodules/protocols/json/codec-v1/JsonShapeDeserializer.js';
    expect(awsStubFor('../jsonReviver', sdk(codecV1), () => read(codecV1))).toBeUndefined();
  });

  it('refuses a bundle with an S3 client, and fails the build when the SDK no longer imports what it stubs', async () => {
    await expect(bundle('s3', "export { S3Client } from '@aws-sdk/client-s3';", [awsUnusedFeatures()])).rejects.toThrow(/imports an S3 client/);
    await expect(bundle('no-aws', 'export const x = 1;', [awsUnusedFeatures()])).rejects.toThrow(/the AWS SDK no longer imports endpoint-discovery, Sha256Js, /);
  });
});
