export { ConfigurationError, loadPaymentConfig, parseStripeApiBase, type PaymentConfig, type StripeApiBase, type StripeConfig } from './config.js';
export { createPaymentDeps, type PaymentDeps, type PaymentLogger } from './deps.js';
export { extensionSecretReader, SECRETS_EXTENSION_DEFAULT_PORT, SecretsExtensionError, type SecretReader } from './secrets-extension.js';
export { secretsManagerReader } from './secrets-manager.js';
export { PAYMENT_STRIPE_RESOURCES, type PaymentStripe } from './stripe-resources.js';
export {
  createStripeClient,
  createStripeProvider,
  describeStripeError,
  isProviderUnavailable,
  isStripeError,
  readStripeKey,
  stripeErrorFacts,
  UnexpectedStripeError,
  type StripeErrorLike,
  type StripeErrorType,
  type StripeProvider,
} from './stripe-client.js';
// Test fixtures for the payment apps' tests (unused by the handlers, so dropped from their bundles).
export { anOrder, memoryLogger, personalData, recordLookup, type LogEntry } from './testing.js';
