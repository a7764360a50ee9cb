import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, type App } from 'cdktf';
import { FUNCTION_NAMES, parseEnvironmentConfig, type BackendConfig, type EnvironmentConfig, type EnvironmentConfigInput, type FunctionName } from '../../src/config.js';
import { ENVIRONMENTS } from '../../src/environments.js';
import { FulfilmentStack } from '../../src/fulfilment-stack.js';

let scratch: string | undefined;

/** A temp directory per test file for bundles and synth output; {@link cleanupScratch} removes it. */
function scratchRoot(): string {
  if (scratch === undefined || !existsSync(scratch)) scratch = mkdtempSync(join(tmpdir(), 'saga-stack-test-'));
  return scratch;
}

/** Removes the test file's temp directory (call it in `afterAll`). */
export function cleanupScratch(): void {
  if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}

/** A `Testing.app()` whose outdir is in the test file's temp directory (not left behind in /tmp). */
export function testApp(): App {
  return Testing.app({ outdir: mkdtempSync(join(scratchRoot(), 'cdktf.out-')) });
}

/**
 * Small stand-in bundles (`<dir>/<fn>/handler.mjs`) in a temp directory, so the tests never depend
 * on the apps being built. Made once per test file; `cleanup` removes them with everything else
 * the file synthesized (call it in `afterAll`).
 */
export function makeFixtureBundles(): { root: string; dirs: Record<FunctionName, string>; cleanup: () => void } {
  const root = mkdtempSync(join(scratchRoot(), 'bundles-'));
  const dirs = Object.fromEntries(
    FUNCTION_NAMES.map((fn) => {
      const dir = join(root, fn);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'handler.mjs'), `export const handler = async (event) => ({ fn: ${JSON.stringify(fn)}, event });\n`);
      return [fn, dir];
    }),
  ) as Record<FunctionName, string>;
  return { root, dirs, cleanup: cleanupScratch };
}

/** An environment of `environments.ts` (dev by default) pointed at the given bundle directories. */
export function configWithBundles(
  dirs: Record<FunctionName, string>,
  overrides: Partial<EnvironmentConfigInput> = {},
  stackName: 'dev' | 'prod' = 'dev',
): EnvironmentConfig {
  const base = ENVIRONMENTS.find((e) => e.stackName === stackName)!;
  const parsed = parseEnvironmentConfig({ ...base, ...overrides });
  const functions = Object.fromEntries(
    FUNCTION_NAMES.map((fn) => [fn, { ...parsed.functions[fn], bundleDir: dirs[fn] }]),
  ) as EnvironmentConfig['functions'];
  return { ...parsed, functions };
}

/** The synthesized Terraform JSON of a stack (what `cdk.tf.json` holds, metadata stripped). */
export type TerraformJson = {
  terraform: Record<string, any>;
  provider: Record<string, any>;
  resource: Record<string, Record<string, any>>;
  data: Record<string, Record<string, any>>;
  output: Record<string, any>;
};

export function synthStack(config: EnvironmentConfig, backend?: BackendConfig): { app: App; stack: FulfilmentStack; json: TerraformJson } {
  const app = testApp();
  const stack = new FulfilmentStack(app, config.stackName, { config, ...(backend ? { backend } : {}) });
  const json = JSON.parse(Testing.synth(stack, true)) as TerraformJson;
  return { app, stack, json };
}
