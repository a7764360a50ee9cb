import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FUNCTION_NAMES, type EnvironmentConfig, type FunctionName } from './config.js';

/** The repository root (this file is `stacks/fulfilment/src/bundles.ts`). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The file each bundle directory must hold; the Lambda handler is `handler.handler`. */
export const BUNDLE_ENTRY = 'handler.mjs';

/** The command that builds every bundle. */
export const BUILD_BUNDLES_COMMAND = 'npx nx run-many -t bundle';

/** The default bundle directory of an app, relative to the repository root. */
export function defaultBundleDir(name: FunctionName): string {
  return `apps/${name}/dist/lambda`;
}

/** The absolute bundle directory of each function of an environment. */
export function bundleDirs(config: EnvironmentConfig): Record<FunctionName, string> {
  return Object.fromEntries(
    FUNCTION_NAMES.map((name) => [name, resolve(REPO_ROOT, config.functions[name].bundleDir ?? defaultBundleDir(name))]),
  ) as Record<FunctionName, string>;
}

/** Synth needs every bundle: the asset is zipped from it. */
export class MissingBundlesError extends Error {
  override readonly name = 'MissingBundlesError';

  constructor(readonly missing: readonly { fn: FunctionName; file: string }[]) {
    super(
      [
        `Missing Lambda bundle${missing.length > 1 ? 's' : ''}:`,
        ...missing.map(({ fn, file }) => `  - ${fn}: ${displayPath(file)}`),
        `Build them first: ${BUILD_BUNDLES_COMMAND}`,
      ].join('\n'),
    );
  }
}

/** Throws {@link MissingBundlesError} naming every function whose `handler.mjs` does not exist. */
export function assertBundlesExist(dirs: Readonly<Record<FunctionName, string>>): void {
  const missing = FUNCTION_NAMES.map((fn) => ({ fn, file: resolve(dirs[fn], BUNDLE_ENTRY) })).filter(
    ({ file }) => !existsSync(file),
  );
  if (missing.length > 0) throw new MissingBundlesError(missing);
}

function displayPath(file: string): string {
  const rel = relative(REPO_ROOT, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
