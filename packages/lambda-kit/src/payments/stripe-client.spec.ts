import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from './config.js';
import { secretsManagerReader } from './secrets-manager.js';
import { createStripeProvider, isProviderUnavailable, isStripeError, readStripeKey, UnexpectedStripeError } from './stripe-client.js';

const secretsMock = mockClient(SecretsManagerClient);
const secrets = secretsManagerReader(new SecretsManagerClient({ region: 'eu-west-1' }));
const config = { secretArn: 'arn:stripe', timeoutMs: 1000, maxNetworkRetries: 0 };

afterEach(() => secretsMock.reset());

describe('createStripeProvider', () => {
  it('reads the secret once and reuses the client', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: 'sk_test_fromSecret' });
    const provider = createStripeProvider(config, secrets);
    const [a, b] = await Promise.all([provider(), provider()]);
    const c = await provider();
    expect(a).toBeInstanceOf(Stripe);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secretsMock.commandCalls(GetSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: 'arn:stripe' });
  });

  it('does not cache a failed read', async () => {
    secretsMock
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }))
      .resolves({ SecretString: 'sk_test_second' });
    const provider = createStripeProvider(config, secrets);
    await expect(provider()).rejects.toMatchObject({ name: 'AccessDeniedException' });
    await expect(provider()).resolves.toBeInstanceOf(Stripe);
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('uses the local-only STRIPE_SECRET_KEY without calling Secrets Manager', async () => {
    const provider = createStripeProvider({ ...config, secretKey: 'sk_test_local' }, secrets);
    await expect(provider()).resolves.toBeInstanceOf(Stripe);
    expect(secretsMock.calls()).toHaveLength(0);
  });
});

describe('readStripeKey', () => {
  it('accepts the bare key or JSON with apiKey', async () => {
    secretsMock.on(GetSecretValueCommand).resolvesOnce({ SecretString: ' sk_live_abc \n' }).resolvesOnce({ SecretString: '{"apiKey":"rk_test_xyz"}' });
    await expect(readStripeKey(secrets, 's')).resolves.toBe('sk_live_abc');
    await expect(readStripeKey(secrets, 's')).resolves.toBe('rk_test_xyz');
  });

  it.each([undefined, '', 'hunter2', '{"apiKey":42}', '{not json'])('rejects %j without quoting it', async (SecretString) => {
    secretsMock.on(GetSecretValueCommand).resolves(SecretString === undefined ? {} : { SecretString });
    const error = await readStripeKey(secrets, 's').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    if (SecretString) expect((error as Error).message).not.toContain(SecretString);
  });
});

describe('Stripe error helpers', () => {
  it('recognise SDK errors by class and name unmapped ones after the class', () => {
    const card = new Stripe.errors.StripeCardError({ message: 'declined', code: 'card_declined' });
    const limit = new Stripe.errors.StripeRateLimitError({ message: 'slow down', statusCode: 429 });
    const auth = new Stripe.errors.StripeAuthenticationError({ message: 'Invalid API Key provided: sk_test_****', statusCode: 401, requestId: 'req_1' });
    expect(isStripeError(card, 'StripeCardError')).toBe(true);
    expect(isStripeError(new Error('x'))).toBe(false);
    expect(isProviderUnavailable(limit)).toBe(true);
    expect(isProviderUnavailable(card)).toBe(false);
    const unexpected = new UnexpectedStripeError(auth, 'ChargePayment');
    expect(unexpected.name).toBe('StripeAuthenticationError');
    expect(unexpected.message).toBe('ChargePayment: StripeAuthenticationError 401 (req_1)');
  });
});
