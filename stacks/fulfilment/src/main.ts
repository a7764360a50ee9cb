import { App } from 'cdktf';
import { MissingBundlesError } from './bundles.js';
import { backendConfigFromEnv } from './config.js';
import { BUNDLES_ROOT_ENV, loadEnvironments, withBundlesRoot } from './environments.js';
import { FulfilmentStack } from './fulfilment-stack.js';

// The CDKTF app: one stack per environment (`environments.ts`), the backend from the environment
// (`SAGA_STATE_*`, local by default), the Lambda bundles from `apps/<fn>/dist/lambda` (or
// `$SAGA_LAMBDA_BUNDLES_DIR/<fn>`). `npm run synth` runs this file directly; `cdktf synth|deploy`
// runs it through cdktf.json.
try {
  const app = new App({ stackTraces: false });
  const backend = backendConfigFromEnv(process.env);
  for (const env of loadEnvironments()) {
    const config = withBundlesRoot(env, process.env[BUNDLES_ROOT_ENV]);
    new FulfilmentStack(app, config.stackName, { config, backend });
  }
  app.synth();
} catch (error) {
  if (!(error instanceof MissingBundlesError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
