/**
 * esbuild plugins that leave out of a Lambda bundle the parts of the official SDKs the function never
 * runs. Each one checks the SDK code it rewrites and fails the build when that code is not as expected
 * (an SDK update changed its layout), so a trim never silently stops applying or applies wrongly. What
 * is left out becomes a stub that throws `X is not in this Lambda bundle (left out by ...)` when used.
 *
 * - {@link stripeResources}: the Stripe client registers only the named resources (`paymentIntents`,
 *   `refunds`) instead of all ~150 (stripe 23's Node ESM entry imports and constructs every resource,
 *   so nothing is tree-shaken). About 170 KiB.
 * - {@link stripeUnusedFeatures}: webhook signing, event notifications, v2 request/response coercion
 *   and `Decimal`, the fetch HTTP client, the Web Crypto and Node crypto providers and auto-pagination
 *   (a `list` call still gives its first page). About 32 KiB.
 * - {@link awsEventStreams}: the AWS SDK loads its event-stream codec (`@smithy/core/event-streams`)
 *   only for operations with event streams; DynamoDB has none. About 19 KiB.
 * - {@link awsUnusedFeatures}: what a DynamoDB client on Lambda never runs: endpoint discovery (8 KiB;
 *   no DynamoDB command uses it), the adaptive retry mode (3 KiB; the payment deps pin "standard"), the
 *   JavaScript SHA-256 (3 KiB; Node has node:crypto), the HTTP bindings of host prefixes (2.4 KiB) and
 *   JSON big numbers and documents (1.2 KiB; no DynamoDB operation has them), event-stream message
 *   signing (2 KiB), the EC2 instance-metadata region lookup (1 KiB; Lambda sets AWS_REGION) and S3
 *   endpoint parameters (0.7 KiB). About 22 KiB.
 * - {@link awsClientVersionOnly}: an AWS SDK client imports its whole package.json for `version`
 *   (its user agent); the bundle keeps `{ version }` only. About 2 KiB per client.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Plugin, PluginBuild } from 'esbuild';

const STRIPE_ENTRY = /[\\/]node_modules[\\/]stripe[\\/]esm[\\/]stripe\.esm\.node\.js$/;
const IN_STRIPE_ESM = /[\\/]node_modules[\\/]stripe[\\/]esm[\\/]/;
const NAMESPACE = 'saga-lambda-trim';

/** The thrower of the stubs, naming what is missing and where to change that (one module they share). */
const NOT_BUNDLED = `${NAMESPACE}-not-bundled`;

/** The start of a stub: its `notBundled()` throws, naming `what`. */
function missing(what: string): string {
  return `import { notBundled as throwNotBundled } from '${NOT_BUNDLED}';\nconst notBundled = () => throwNotBundled(${JSON.stringify(what)});`;
}

/** Resolves the stubs' shared thrower (every plugin with stubs registers it). */
function provideNotBundled(build: PluginBuild): void {
  build.onResolve({ filter: new RegExp(`^${NOT_BUNDLED}$`) }, () => ({ path: NOT_BUNDLED, namespace: NOT_BUNDLED }));
  build.onLoad({ filter: /.*/, namespace: NOT_BUNDLED }, () => ({
    contents: 'export function notBundled(what) { throw new Error(`${what} is not in this Lambda bundle (left out by packages/lambda-kit/bundle/trims.ts)`); }',
    loader: 'js',
  }));
}

/**
 * Registers only `keep` (client property names, e.g. `['paymentIntents', 'refunds']`) on the Stripe
 * client: the generated sections of stripe's Node ESM entry that import and construct every resource
 * are rewritten to those resources, `Stripe.resources` (the namespace of all resource classes) to
 * them too, and the hand-written `account` and `oauth` resources are dropped.
 */
export function stripeResources(keep: readonly string[]): Plugin {
  return {
    name: 'stripe-resources',
    setup(build) {
      let applied = false;
      let keptClasses: string[] = [];
      build.onStart(() => {
        applied = false;
      });
      build.onLoad({ filter: STRIPE_ENTRY }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const trimmed = trimStripeEntry(source, keep);
        keptClasses = trimmed.keptClasses;
        applied = true;
        return { contents: trimmed.contents, loader: 'js', resolveDir: dirname(args.path) };
      });
      // `import * as resources from './resources.js'` (Stripe.resources) → only the kept classes.
      build.onResolve({ filter: /^saga-stripe-kept-resources$/ }, (args) => ({ path: args.resolveDir, namespace: `${NAMESPACE}-stripe-resources` }));
      build.onLoad({ filter: /.*/, namespace: `${NAMESPACE}-stripe-resources` }, async (args) => {
        const source = await readFile(join(args.path, 'resources.js'), 'utf8');
        const lines = source.split('\n').filter((line) => {
          const m = /^export \{ (\w+) as \w+ \} from '\.\/resources\/[\w/]+\.js';$/.exec(line);
          return m !== null && keptClasses.includes(m[1]!);
        });
        if (lines.length < keptClasses.length) {
          return { errors: [{ text: `stripe's resources.js does not export every kept resource class (${keptClasses.join(', ')}): its layout changed` }] };
        }
        return { contents: lines.join('\n'), loader: 'js', resolveDir: args.path };
      });
      build.onEnd((result) =>
        !applied && result.errors.length === 0
          ? { errors: [{ text: "stripe-resources: stripe's Node ESM entry (stripe/esm/stripe.esm.node.js) was not in the bundle" }] }
          : undefined,
      );
    },
  };
}

/** The rewritten stripe entry, and the resource classes it still constructs. Exported for the tests. */
export function trimStripeEntry(source: string, keep: readonly string[]): { contents: string; keptClasses: string[] } {
  const init = /\/\/ StripeInitInstanceVariables: The beginning[^\n]*\n([\s\S]*?)\/\/ StripeInitInstanceVariables: The end/.exec(source);
  if (!init || !source.includes('// StripeInstanceImports: The beginning')) {
    throw new Error("stripe-resources: stripe's Node ESM entry has no generated resource sections (its layout changed)");
  }

  // `this.paymentIntents = new PaymentIntentResource(this);` gives the class of each client property.
  const constructed = new Map<string, string>();
  for (const m of init[1]!.matchAll(/^\s*this\.(\w+) = new (\w+)\(this\);$/gm)) constructed.set(m[1]!, m[2]!);
  const unknown = keep.filter((name) => !constructed.has(name));
  if (unknown.length > 0) throw new Error(`stripe-resources: the Stripe client has no resource ${unknown.join(', ')}`);
  const keptClasses = keep.map((name) => constructed.get(name)!);
  const allClasses = new Set(constructed.values());
  const dropped = [...allClasses].filter((cls) => !keptClasses.includes(cls));

  // The resource imports (in the generated sections: `import { ChargeResource, } from './resources/Charges.js';`).
  const imported = new Set<string>();
  let contents = source.replace(/^import \{ (\w+),? \} from '\.\/resources\/[\w/]+\.js';\n/gm, (line, cls: string) => {
    imported.add(cls);
    return keptClasses.includes(cls) ? line : '';
  });
  const notImported = [...allClasses].filter((cls) => !imported.has(cls));
  if (notImported.length > 0) throw new Error(`stripe-resources: no import of ${notImported.join(', ')} found (the entry's layout changed)`);
  const keptInit = init[1]!
    .split('\n')
    .filter((line) => {
      const m = /^\s*this\.(\w+) = new (\w+)\(this\);$/.exec(line);
      return !m || keep.includes(m[1]!);
    })
    .join('\n');
  contents = contents.replace(init[1]!, () => keptInit);

  const replace = (from: RegExp, to: string, what: string) => {
    if (!from.test(contents)) throw new Error(`stripe-resources: ${what} not found in stripe's Node ESM entry (its layout changed)`);
    contents = contents.replace(from, () => to);
  };
  replace(/^import \* as resources from '\.\/resources\.js';$/m, "import * as resources from 'saga-stripe-kept-resources';", 'the resources namespace import');
  replace(/^import \{ OAuthResource \} from '\.\/resources\.js';$/m, '', 'the OAuth import');
  replace(/^\s*this\.oauth = new OAuthResource\(this\);$/m, '', 'the oauth resource');
  replace(/^\s*this\.account = this\.accounts;$/m, '', 'the account alias');

  // Nothing may still refer to a dropped class (it would be undefined at run time).
  const stale = [...dropped, 'OAuthResource'].filter((cls) => new RegExp(`\\b${cls}\\b`).test(contents));
  if (stale.length > 0) throw new Error(`stripe-resources: the entry still refers to ${stale.join(', ')}`);
  return { contents, keptClasses };
}

/** Stripe modules the payment Lambdas never run, and the stub each is replaced with. */
const STRIPE_STUBS: Readonly<Record<string, { importedAs: RegExp; contents: string }>> = {
  'StripeEventNotificationHandler.js': {
    importedAs: /^\.\/StripeEventNotificationHandler\.js$/,
    contents: `${missing('stripe: event notification handlers')}
export class StripeEventNotificationHandler { constructor() { notBundled(); } static withoutVerification() { notBundled(); } }`,
  },
  'Webhooks.js': {
    importedAs: /^\.\/Webhooks\.js$/,
    contents: `${missing('stripe: webhook signature verification')}
export function createWebhooks() {
  return { DEFAULT_TOLERANCE: 300, signature: null, constructEvent: notBundled, constructEventAsync: notBundled,
    generateTestHeaderString: notBundled, generateTestHeaderStringAsync: notBundled };
}`,
  },
  'Decimal.js': {
    importedAs: /^\.\/Decimal\.js$/,
    contents: `${missing('stripe: Decimal')}
export const DEFAULT_DIV_PRECISION = 34;
export function isDecimal() { return false; }
export const Decimal = Object.freeze({ from: notBundled, zero: notBundled });`,
  },
  'V2Coercion.js': {
    importedAs: /^\.\/V2Coercion\.js$/,
    contents: `${missing('stripe: v2 API request/response coercion')}
export const coerceV2RequestData = notBundled;
export const coerceV2ResponseData = notBundled;`,
  },
  'net/FetchHttpClient.js': {
    importedAs: /^\.\.\/net\/FetchHttpClient\.js$/,
    contents: `${missing('stripe: the fetch HTTP client (createFetchHttpClient)')}
export class FetchHttpClient { constructor() { notBundled(); } }
export class FetchHttpClientResponse { constructor() { notBundled(); } }`,
  },
  'crypto/SubtleCryptoProvider.js': {
    importedAs: /^\.\.\/crypto\/SubtleCryptoProvider\.js$/,
    contents: `${missing('stripe: the Web Crypto provider (createSubtleCryptoProvider)')}
export class SubtleCryptoProvider { constructor() { notBundled(); } }`,
  },
  // Like the Web Crypto one, it only serves signature verification (webhooks, event notifications).
  'crypto/NodeCryptoProvider.js': {
    importedAs: /^\.\.\/crypto\/NodeCryptoProvider\.js$/,
    contents: `${missing('stripe: the Node crypto provider (createNodeCryptoProvider)')}
export class NodeCryptoProvider { constructor() { notBundled(); } }`,
  },
  // StripeResource attaches these to the promise of a list or search call only (awaiting it gives the first page).
  'autoPagination.js': {
    importedAs: /^\.\/autoPagination\.js$/,
    contents: `${missing('stripe: auto-pagination (autoPagingEach, autoPagingToArray, for await over a list)')}
export function makeAutoPaginationMethods() {
  return { autoPagingEach: notBundled, autoPagingToArray: notBundled, next: notBundled, return: notBundled, [Symbol.asyncIterator]: notBundled };
}`,
  },
};

/**
 * Replaces Stripe modules a server calling the API never runs with stubs that throw when used:
 * webhook verification and event notifications (`stripe.webhooks`, `parseEventNotification`,
 * `notificationHandler`), `Decimal` and the v2 API's request/response coercion (v1 calls never use
 * them), the fetch HTTP client and the Web Crypto provider (Node uses its http and crypto modules),
 * the Node crypto provider (it serves signature verification only) and auto-pagination: a `list`
 * call still gives its first page (RefundPayment reads one); `autoPagingEach`, `autoPagingToArray`
 * and `for await` over it throw.
 */
export function stripeUnusedFeatures(): Plugin {
  return {
    name: 'stripe-unused-features',
    setup(build) {
      provideNotBundled(build);
      const stubbed = new Set<string>();
      build.onStart(() => stubbed.clear());
      const filter = new RegExp(`^(${Object.values(STRIPE_STUBS).map((s) => s.importedAs.source.slice(1, -1)).join('|')})$`);
      build.onResolve({ filter }, (args) => {
        if (!IN_STRIPE_ESM.test(args.importer)) return undefined;
        const entry = Object.entries(STRIPE_STUBS).find(([, s]) => s.importedAs.test(args.path));
        if (!entry) return undefined;
        stubbed.add(entry[0]);
        return { path: entry[0], namespace: `${NAMESPACE}-stripe-stub` };
      });
      build.onLoad({ filter: /.*/, namespace: `${NAMESPACE}-stripe-stub` }, (args) => ({ contents: STRIPE_STUBS[args.path]!.contents, loader: 'js' }));
      build.onEnd((result) => {
        const notSeen = Object.keys(STRIPE_STUBS).filter((m) => !stubbed.has(m));
        return notSeen.length > 0 && result.errors.length === 0
          ? { errors: [{ text: `stripe-unused-features: stripe no longer imports ${notSeen.join(', ')} (its layout changed; update the stubs)` }] }
          : undefined;
      });
    },
  };
}

/**
 * Stubs the AWS SDK's event-stream codec, which `HttpProtocol` loads (dynamic `import()`) only for
 * operations with event streams. For clients without such operations (DynamoDB) it is never loaded.
 */
export function awsEventStreams(): Plugin {
  return {
    name: 'aws-event-streams',
    setup(build) {
      provideNotBundled(build);
      build.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) => {
        if (args.kind !== 'dynamic-import') {
          return { errors: [{ text: `${args.importer} imports @smithy/core/event-streams statically: this bundle needs the event-stream codec` }] };
        }
        return { path: 'event-streams', namespace: `${NAMESPACE}-aws-stub` };
      });
      build.onLoad({ filter: /.*/, namespace: `${NAMESPACE}-aws-stub` }, () => ({
        contents: `${missing('AWS SDK: event streams (@smithy/core/event-streams)')}
export const EventStreamSerde = notBundled;
export const eventStreamSerdeProvider = notBundled;`,
        loader: 'js',
      }));
    },
  };
}

/** A file of an installed package, as esbuild gives its path (`@smithy/core/dist-es/x.js`). */
function sdkFile(path: string): RegExp {
  return new RegExp(`[\\\\/]node_modules[\\\\/]${path.replace(/[.]/g, '\\.').replace(/\//g, '[\\\\/]')}$`);
}

/** How often `word` occurs in `source` as a whole word, outside import paths. */
function occurrences(source: string, word: string): number {
  return source.replace(/\bfrom\s*"[^"]*"/g, '').match(new RegExp(`\\b${word}\\b`, 'g'))?.length ?? 0;
}

/** The names `source` imports or re-exports from `specifier` (`import { a, b as c } from "specifier"`). */
function namesFrom(source: string, specifier: string): string[] {
  return [...source.matchAll(/\b(?:import|export)\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)]
    .filter((m) => m[2] === specifier)
    .flatMap((m) => m[1]!.split(','))
    .map((name) => name.trim().split(/\s+as\s+/)[0]!)
    .filter((name) => name !== '');
}

/** An AWS SDK import the payment Lambdas never reach, and the stub it is replaced with. */
interface AwsStub {
  /** What is left out, as the stub's error names it. */
  readonly what: string;
  /** The import, as the importers below write it. */
  readonly specifier: RegExp;
  /**
   * The SDK files whose import of it is replaced, each with a check of its code showing where the
   * import is used (only behind the condition that makes it unreachable): else the build fails.
   */
  readonly importers: ReadonlyArray<{ readonly file: RegExp; readonly usedAsExpected: (source: string) => boolean }>;
  /** The stub's exports (`notBundled` throws the error naming {@link AwsStub.what}; paths are relative to the importer). */
  readonly exports: string;
}

const ENDPOINT_DISCOVERY_CONFIG = new Set(['resolveEndpointDiscoveryConfig', 'NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS']);
const usesReviverOnlyWhenNeeded = (source: string) => /needsReviver\(schema\) \? jsonReviver : undefined/.test(source) && occurrences(source, 'jsonReviver') === 2;

const AWS_STUBS: Readonly<Record<string, AwsStub>> = {
  // The client resolves its endpoint-discovery config (building an LRU cache, mnemonist); only a
  // command with the discovery middleware would use it, and no DynamoDB command has one.
  'endpoint-discovery': {
    what: 'AWS SDK: endpoint discovery (@aws-sdk/middleware-endpoint-discovery)',
    specifier: /^@aws-sdk\/middleware-endpoint-discovery$/,
    importers: [
      {
        file: /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]dist-es[\\/]/,
        usedAsExpected: (source) => {
          const names = namesFrom(source, '@aws-sdk/middleware-endpoint-discovery');
          return names.length > 0 && names.every((name) => ENDPOINT_DISCOVERY_CONFIG.has(name));
        },
      },
    ],
    exports: `export const NODE_ENDPOINT_DISCOVERY_CONFIG_OPTIONS = { environmentVariableSelector: notBundled, configFileSelector: notBundled, default: undefined };
export const resolveEndpointDiscoveryConfig = (input, { endpointDiscoveryCommandCtor }) => Object.assign(input, {
  endpointDiscoveryCommandCtor,
  endpointCache: { getEndpoint: notBundled, get: notBundled, set: notBundled, delete: notBundled, has: notBundled, clear: notBundled },
  endpointDiscoveryEnabled: notBundled,
  isClientEndpointDiscoveryEnabled: input.endpointDiscoveryEnabled !== undefined,
});`,
  },
  // Sha256Node is node:crypto's hash unless `createHash("sha256")` throws, which it does not on Node.
  Sha256Js: {
    what: 'AWS SDK: the JavaScript SHA-256 (Sha256Js, for runtimes without node:crypto)',
    specifier: /^\.\/Sha256Js$/,
    importers: [
      {
        file: sdkFile('@smithy/core/dist-es/submodules/checksum/sha256/Sha256Node.js'),
        usedAsExpected: (source) =>
          /const hasNativeCrypto = \(\(\) => \{\s*try \{\s*createHash\("sha256"\);\s*return true;/.test(source) &&
          /= hasNativeCrypto \? buildNativeClass\(\) : Sha256Js;/.test(source) &&
          occurrences(source, 'Sha256Js') === 2,
      },
    ],
    exports: 'export class Sha256Js { constructor() { notBundled(); } }',
  },
  // Built only when the retry mode is "adaptive"; createPaymentDeps pins retryMode "standard".
  AdaptiveRetryStrategy: {
    what: "AWS SDK: the adaptive retry mode (retryMode 'adaptive', AWS_RETRY_MODE=adaptive)",
    specifier: /^\.\.\/util-retry\/AdaptiveRetryStrategy$/,
    importers: [
      {
        file: sdkFile('@smithy/core/dist-es/submodules/retry/middleware-retry/configurations.js'),
        usedAsExpected: (source) =>
          /const adaptive = \(await normalizeProvider\(retryMode\)\(\)\) === RETRY_MODES\.ADAPTIVE;\s*if \(adaptive\) \{\s*return new AdaptiveRetryStrategy\(/.test(source) &&
          occurrences(source, 'AdaptiveRetryStrategy') === 2,
      },
    ],
    exports: 'export class AdaptiveRetryStrategy { constructor() { notBundled(); } }',
  },
  // Formats event-stream message headers, for SignatureV4.signMessage only: DynamoDB has no event streams.
  HeaderFormatter: {
    what: 'AWS SDK: event-stream message signing (SignatureV4.signMessage)',
    specifier: /^\.\/HeaderFormatter$/,
    importers: [
      {
        file: sdkFile('@smithy/signature-v4/dist-es/SignatureV4.js'),
        usedAsExpected: (source) =>
          /async signMessage\(signableMessage, \{[^}]*\}\) \{\s*const promise = this\.signEvent\(\{\s*headers: this\.headerFormatter\.format\(/.test(source) &&
          occurrences(source, 'headerFormatter') === 2,
      },
    ],
    exports: 'export class HeaderFormatter { format() { notBundled(); } }',
  },
  // The region's last resort after AWS_REGION and the config files, and the physical region of the
  // "auto" defaults mode outside Lambda (AWS_EXECUTION_ENV unset). Lambda sets both variables.
  getInstanceMetadataRegion: {
    what: 'AWS SDK: the EC2 instance-metadata region lookup (set AWS_REGION)',
    specifier: /^(?:\.\/|\.\.\/config-resolver\/regionConfig\/)getInstanceMetadataRegion$/,
    importers: [
      {
        file: sdkFile('@smithy/core/dist-es/submodules/config/config-resolver/regionConfig/config.js'),
        usedAsExpected: (source) =>
          /REGION_ENV_NAME = "AWS_REGION";/.test(source) &&
          /environmentVariableSelector: \(env\) => env\[REGION_ENV_NAME\],/.test(source) &&
          /default: async \(\) => \{\s*const region = await getInstanceMetadataRegion\(\);/.test(source) &&
          occurrences(source, 'getInstanceMetadataRegion') === 2,
      },
      {
        file: sdkFile('@smithy/core/dist-es/submodules/config/defaults-mode/resolveDefaultsModeConfig.js'),
        usedAsExpected: (source) =>
          /if \(process\.env\[AWS_EXECUTION_ENV\] && \(process\.env\[AWS_REGION_ENV\] \|\| process\.env\[AWS_DEFAULT_REGION_ENV\]\)\) \{\s*return [^;]+;\s*\}\s*return getInstanceMetadataRegion\(\);/.test(source) &&
          occurrences(source, 'getInstanceMetadataRegion') === 2,
      },
    ],
    exports: 'export const getInstanceMetadataRegion = async () => notBundled();',
  },
  // Endpoint parameters of S3 buckets, for a client whose serviceId is "s3" only.
  's3-endpoint-params': {
    what: 'AWS SDK: the S3 endpoint parameters (resolveParamsForS3)',
    specifier: /^\.\.\/service-customizations$/,
    importers: [
      {
        file: sdkFile('@smithy/core/dist-es/submodules/endpoints/middleware-endpoint/adaptors/getEndpointFromInstructions.js'),
        usedAsExpected: (source) =>
          /if \(String\(clientConfig\.serviceId\)\.toLowerCase\(\) === "s3"\) \{\s*await resolveParamsForS3\(endpointParams\);/.test(source) &&
          occurrences(source, 'resolveParamsForS3') === 2,
      },
    ],
    exports: 'export const resolveParamsForS3 = async () => notBundled();',
  },
  // RPC protocols need the HTTP bindings of an operation's input only for its host prefix (endpoint
  // trait): no DynamoDB operation has one (test/bundle.spec.ts checks every one).
  HttpBindingNormalizedSchema: {
    what: 'AWS SDK: the host prefix of an operation (HttpBindingNormalizedSchema)',
    specifier: /^\.\/HttpBindingNormalizedSchema$/,
    importers: [
      {
        file: sdkFile('@smithy/core/dist-es/submodules/protocols/HttpProtocol.js'),
        usedAsExpected: (source) =>
          namesFrom(source, './HttpBindingNormalizedSchema').sort().join() === 'HttpBindingNormalizedSchema,getHttpOperationBindings' &&
          /const hostPrefix = operation\[4\];\s*if \(typeof hostPrefix !== "string"\) \{\s*return;\s*\}[^}]*?HttpBindingNormalizedSchema\.of\(/.test(source) &&
          occurrences(source, 'HttpBindingNormalizedSchema') === 2,
      },
    ],
    exports: `export { getHttpOperationBindings } from './HttpBindingNormalizedSchema.js';
export const HttpBindingNormalizedSchema = { of: notBundled };`,
  },
  // JSON.parse's reviver for responses whose shapes hold big numbers or documents: DynamoDB has none
  // (its numbers travel as strings; test/bundle.spec.ts checks every DynamoDB operation).
  jsonReviver: {
    what: 'AWS SDK: JSON big-number and document parsing (jsonReviver)',
    specifier: /^\.\.?\/jsonReviver$/,
    importers: [
      { file: sdkFile('@smithy/core/dist-es/submodules/protocols/json/codec-v2/JsonShapeDeserializer2.js'), usedAsExpected: usesReviverOnlyWhenNeeded },
      { file: sdkFile('@smithy/core/dist-es/submodules/protocols/json/parseJsonBody.js'), usedAsExpected: usesReviverOnlyWhenNeeded },
    ],
    exports: 'export function jsonReviver() { notBundled(); }',
  },
};

/**
 * The stub replacing the import of `specifier` by the SDK file `importer` (whose code is `source`),
 * or undefined when the trim leaves that import alone. Exported for the tests.
 * @throws when the importer does not use the import as the trim expects (an SDK update changed it)
 */
export function awsStubFor(specifier: string, importer: string, source: () => string): string | undefined {
  for (const [name, stub] of Object.entries(AWS_STUBS)) {
    const expected = stub.importers.find((i) => i.file.test(importer));
    if (!stub.specifier.test(specifier) || !expected) continue;
    if (!expected.usedAsExpected(source())) {
      throw new Error(
        `aws-unused-features: ${importer} does not use ${specifier} as expected (its layout changed): check that ${stub.what} is still unreachable, then update the trim`,
      );
    }
    return name;
  }
  return undefined;
}

/**
 * Replaces AWS SDK code a DynamoDB client on Lambda never runs with stubs that throw when used:
 * endpoint discovery (no DynamoDB command uses it), the JavaScript SHA-256 (Node has node:crypto),
 * the adaptive retry mode (createPaymentDeps pins "standard"), event-stream message signing (no
 * event streams), the EC2 instance-metadata region lookup (Lambda sets AWS_REGION), S3 endpoint
 * parameters, and what only some operations need: the HTTP bindings of a host prefix and the JSON
 * reviver for big numbers and documents (no DynamoDB operation has either). Each importer is checked
 * to use the import only behind that condition; a bundle with an S3 client is refused.
 */
export function awsUnusedFeatures(): Plugin {
  return {
    name: 'aws-unused-features',
    setup(build) {
      provideNotBundled(build);
      const stubbed = new Set<string>();
      build.onStart(() => stubbed.clear());
      const filter = new RegExp(Object.values(AWS_STUBS).map((s) => `(?:${s.specifier.source})`).join('|'));
      build.onResolve({ filter }, (args) => {
        let name: string | undefined;
        try {
          name = awsStubFor(args.path, args.importer, () => readFileSync(args.importer, 'utf8'));
        } catch (error) {
          return { errors: [{ text: (error as Error).message }] };
        }
        if (name === undefined) return undefined;
        stubbed.add(name);
        return { path: name, namespace: `${NAMESPACE}-aws-unused`, pluginData: { resolveDir: dirname(args.importer) } };
      });
      build.onResolve({ filter: /^@aws-sdk\/client-s3$/ }, (args) => ({
        errors: [{ text: `aws-unused-features: ${args.importer} imports an S3 client, which needs the S3 endpoint parameters this trim leaves out` }],
      }));
      build.onLoad({ filter: /.*/, namespace: `${NAMESPACE}-aws-unused` }, (args) => ({
        contents: `${missing(AWS_STUBS[args.path]!.what)}\n${AWS_STUBS[args.path]!.exports}`,
        loader: 'js',
        resolveDir: (args.pluginData as { resolveDir: string }).resolveDir,
      }));
      build.onEnd((result) => {
        const notSeen = Object.keys(AWS_STUBS).filter((name) => !stubbed.has(name));
        return notSeen.length > 0 && result.errors.length === 0
          ? { errors: [{ text: `aws-unused-features: the AWS SDK no longer imports ${notSeen.join(', ')} as expected (its layout changed; update the stubs)` }] }
          : undefined;
      });
    },
  };
}

/**
 * An AWS SDK client's `runtimeConfig.js` imports its package.json for `packageInfo.version` (its
 * user-agent); the bundle gets `{ "version": ... }` instead of the whole file. Checks that the version
 * is all the importer reads.
 */
export function awsClientVersionOnly(): Plugin {
  return {
    name: 'aws-client-version-only',
    setup(build) {
      build.onResolve({ filter: /^\.\.\/package\.json$/ }, async (args) => {
        if (!/[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]dist-es[\\/]runtimeConfig\.js$/.test(args.importer)) return undefined;
        const importer = await readFile(args.importer, 'utf8');
        const uses = importer.match(/\bpackageInfo\b(\.\w+)?/g) ?? [];
        if (!/^import packageInfo from "\.\.\/package\.json";$/m.test(importer) || uses.some((u) => u !== 'packageInfo' && u !== 'packageInfo.version') || uses.filter((u) => u === 'packageInfo').length !== 1) {
          return { errors: [{ text: `${args.importer} reads more of its package.json than the version` }] };
        }
        return { path: join(dirname(args.importer), '..', 'package.json'), namespace: `${NAMESPACE}-version` };
      });
      build.onLoad({ filter: /.*/, namespace: `${NAMESPACE}-version` }, async (args) => {
        const { version } = JSON.parse(await readFile(args.path, 'utf8')) as { version: string };
        return { contents: JSON.stringify({ version }), loader: 'json' };
      });
    },
  };
}
