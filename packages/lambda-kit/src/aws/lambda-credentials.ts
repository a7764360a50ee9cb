import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

// Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (esbuild
// `--alias:@aws-sdk/credential-provider-node=@saga/lambda-kit/lambda-credentials`, nx.json `bundle`).
// The SDK clients import `defaultProvider` from there, and with it the whole credential chain: SSO,
// STS web identity, INI files, process, IMDS/ECS and their nested clients (~80 KiB minified). In
// Lambda the execution role's credentials are always in the environment, so the chain never gets
// past its first link. Outside a bundle (tests, the local engine) the real chain is still used.

/** A credential provider, as the SDK clients call it. */
export type CredentialProvider = ReturnType<typeof fromEnv>;

/** The variables the Lambda runtime sets from the execution role (`AWS_SESSION_TOKEN` too, optional here). */
const REQUIRED = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'] as const;

/** Raised when the environment holds no credentials: outside Lambda, or a runtime without a role. */
export class LambdaCredentialsError extends Error {
  override readonly name = 'LambdaCredentialsError';
}

/**
 * The SDK clients' default credential provider, environment only: `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN` (and `AWS_CREDENTIAL_EXPIRATION`, `AWS_ACCOUNT_ID`),
 * read on each call. Same name and call shape as `@aws-sdk/credential-provider-node`'s.
 *
 * @throws {LambdaCredentialsError} (from the returned provider) naming the missing variables.
 */
export function defaultProvider(init: FromEnvInit = {}): CredentialProvider {
  const provider = fromEnv(init);
  return async (options) => {
    const missing = REQUIRED.filter((name) => !process.env[name]);
    if (missing.length > 0) {
      throw new LambdaCredentialsError(
        `AWS credentials are not in the environment (${missing.join(' and ')} not set). This bundle reads credentials ` +
          'from the environment only, as the Lambda runtime provides them (@saga/lambda-kit/lambda-credentials ' +
          'replaces @aws-sdk/credential-provider-node); elsewhere set the variables or pass `credentials` to the client.',
      );
    }
    return provider(options);
  };
}
