import { build, type Plugin } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLE_OPTIONS, LAMBDA_METAFILE, paymentTrims } from '../bundle/lambda-bundle.js';
import { stripeResources, stripeUnusedFeatures, trimStripeEntry } from '../bundle/trims.js';
import { PAYMENT_STRIPE_RESOURCES } from '../src/payments/stripe-resources.js';

const KIT = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const STRIPE_ENTRY = join(ROOT, 'node_modules/stripe/esm/stripe.esm.node.js');
const out = mkdtempSync(join(tmpdir(), 'lambda-kit-bundle-'));
const servers: { close(done: () => void): void }[] = [];

afterAll(() => rmSync(out, { recursive: true, force: true }));
afterEach(async () => {
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
    expect(paymentTrims().map((p) => p.name)).toEqual(['stripe-resources', 'stripe-unused-features']);
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
