export {
  describeError,
  isAwsErrorNamed,
  isConditionalCheckFailed,
  isTransientAwsError,
  mapAwsError,
  mapDynamoError,
  TRANSIENT_CANCELLATION_CODES,
} from './errors.js';
