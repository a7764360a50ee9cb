import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretReader } from './secrets-extension.js';

/**
 * A {@link SecretReader} over the Secrets Manager SDK client (`GetSecretValue`): for tests (with
 * aws-sdk-client-mock) and runtimes without the Lambda extension. The Lambda bundles do not use it,
 * so they carry no Secrets Manager client.
 */
export function secretsManagerReader(client: Pick<SecretsManagerClient, 'send'>): SecretReader {
  return async (secretId) => (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
}
