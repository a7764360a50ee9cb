/**
 * The `bundle` target of the payment Lambdas (ChargePayment, RefundPayment), run from the app folder:
 *
 *   node --import tsx ../../packages/lambda-kit/bundle/lambda-bundle.ts --payments
 *
 * It builds `src/handler.ts` into `dist/lambda/handler.mjs` (+ `meta.json`) with exactly the esbuild
 * options of nx.json's `targetDefaults.bundle` command (a test compares them), plus, with `--payments`,
 * the Stripe trims of `trims.ts`: a Stripe client with only the resources the payment steps call
 * (`PAYMENT_STRIPE_RESOURCES`), without the Stripe features they never use. The payment steps hold
 * no AWS SDK client (the state machine reads and writes the order record), so there is no AWS SDK
 * to trim. The other apps keep the plain esbuild command.
 */
import { writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { PAYMENT_STRIPE_RESOURCES } from '../src/payments/stripe-resources.js';
import { stripeResources, stripeUnusedFeatures } from './trims.js';

/** nx.json `targetDefaults.bundle`, as esbuild API options (relative to the app folder). */
export const LAMBDA_BUNDLE_OPTIONS = {
  entryPoints: ['src/handler.ts'],
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  minify: true,
  mainFields: ['module', 'main'],
  conditions: ['@saga/source', 'module'],
  legalComments: 'none',
  alias: { '@aws-sdk/credential-provider-node': '@saga/lambda-kit/lambda-credentials' },
  outfile: 'dist/lambda/handler.mjs',
  banner: { js: "import{createRequire}from'node:module';const require=createRequire(import.meta.url);" },
} as const satisfies BuildOptions;

/** Where the metafile goes (nx.json: `--metafile=dist/lambda/meta.json`). */
export const LAMBDA_METAFILE = 'dist/lambda/meta.json';

/** The trims of the payment Lambdas' bundles. */
export function paymentTrims(): Plugin[] {
  return [stripeResources(PAYMENT_STRIPE_RESOURCES), stripeUnusedFeatures()];
}

/** Builds the Lambda bundle of the app in `appDir`; returns the bundle's path and size. */
export async function bundleLambda(appDir: string, options: { payments?: boolean; outdir?: string } = {}): Promise<{ file: string; bytes: number }> {
  const outfile = resolve(appDir, options.outdir ?? dirname(LAMBDA_BUNDLE_OPTIONS.outfile), 'handler.mjs');
  const result = await build({
    ...LAMBDA_BUNDLE_OPTIONS,
    entryPoints: [...LAMBDA_BUNDLE_OPTIONS.entryPoints],
    mainFields: [...LAMBDA_BUNDLE_OPTIONS.mainFields],
    conditions: [...LAMBDA_BUNDLE_OPTIONS.conditions],
    absWorkingDir: resolve(appDir),
    outfile,
    metafile: true,
    logLevel: 'warning',
    plugins: options.payments ? paymentTrims() : [],
  });
  await writeFile(resolve(dirname(outfile), 'meta.json'), JSON.stringify(result.metafile));
  const bytes = Object.values(result.metafile.outputs)[0]!.bytes;
  return { file: outfile, bytes };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--payments');
  if (unknown.length > 0) {
    console.error(`lambda-bundle: unknown option ${unknown.join(' ')} (usage: lambda-bundle.ts [--payments])`);
    process.exit(2);
  }
  const started = performance.now();
  const { file, bytes } = await bundleLambda(process.cwd(), { payments: args.includes('--payments') });
  console.log(`  ${relative(process.cwd(), file)}  ${(bytes / 1024).toFixed(1)}kb`);
  console.log(`⚡ Done in ${Math.round(performance.now() - started)}ms`);
}
