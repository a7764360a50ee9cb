/**
 * esbuild plugins that leave out of a Lambda bundle the parts of the Stripe SDK the function never
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
 */
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
